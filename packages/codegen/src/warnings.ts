import { formatPointer } from "./spec/json-pointer.js";
import type { SpecLocation } from "./errors.js";

/** Stable codes of the warnings codegen reports. */
export type CodegenWarningCode =
  /** An `oauth2` scheme declares only flows portico does not run (`implicit`, `password`). */
  "OAUTH_FLOW_NOT_RUN";

/**
 * Something the spec declares that the generated client will not do by itself. Generation goes
 * on; the CLI prints each warning on stderr. `message` reads `file:line #/json/pointer: reason`.
 */
export interface CodegenWarning {
  readonly code: CodegenWarningCode;
  readonly message: string;
  readonly file: string;
  readonly line: number | undefined;
  /** Encoded JSON pointer (`#/components/securitySchemes/oauth`), or `undefined` for file-level warnings. */
  readonly pointer: string | undefined;
  /** The reason alone, without the location prefix. */
  readonly reason: string;
}

/** Builds a warning located like a `CodegenError`. */
export function codegenWarning(code: CodegenWarningCode, reason: string, location: SpecLocation): CodegenWarning {
  const pointer = location.pointer === undefined ? undefined : formatPointer(location.pointer);
  const where = `${location.file}${location.line === undefined ? "" : `:${location.line}`}`;
  return {
    code,
    message: `${where}${pointer === undefined ? "" : ` ${pointer}`}: ${reason}`,
    file: location.file,
    line: location.line,
    pointer,
    reason,
  };
}
