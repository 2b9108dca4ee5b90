/** Atlas error codes, typed from `@atlas-softpos/api-client`: the sandbox answers only codes `specs/atlas.yaml` declares. */
import type { components, operations } from "@atlas-softpos/api-client";
import type { DeclaredErrorCode } from "../../framework/error-codes.js";
import { errorBody, type ErrorBody } from "../../framework/errors.js";

/** Every `code` the Commerce API's operations declare. */
export type AtlasErrorCode = DeclaredErrorCode<operations>;

/** The auth server's error body (`POST /v1/token`): RFC 6749's `error` and the Atlas `code`. */
export type AtlasTokenError = components["schemas"]["TokenErrorResponse"];

/** The spec's `TokenRequest`, as a validated body reads. */
export type AtlasTokenRequest = components["schemas"]["TokenRequest"];

/** `errorBody` limited to the Commerce API's declared codes. */
export const atlasError: (code: AtlasErrorCode, message: string, extra?: Parameters<typeof errorBody>[2]) => ErrorBody = errorBody;
