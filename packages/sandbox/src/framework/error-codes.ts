/** Error codes typed from a generated client, so a sandbox answers only the codes its spec declares. */
import type { OperationErrorBody, SpecErrorCode } from "@portico/core";

/**
 * Every error `code` the operations of a generated client declare (`operations` of
 * `@nentropy/api-client` and its siblings): the union its users `switch` on.
 *
 * @example
 * type EudrErrorCode = DeclaredErrorCode<operations>; // "AUTHENTICATION_REQUIRED" | ... | "RATE_LIMITED"
 */
export type DeclaredErrorCode<Operations> = { [K in keyof Operations]: SpecErrorCode<OperationErrorBody<Operations[K]>> }[keyof Operations];
