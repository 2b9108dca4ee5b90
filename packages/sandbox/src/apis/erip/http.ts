/** HTTP plumbing of the ERIP sandbox: its error codes and problem, a fresh request id per request; input readers from the framework. */
import { HttpProblem, requestIdMiddleware as createRequestIdMiddleware } from "../../framework/http.js";

export { readJson, readParam, readQuery } from "../../framework/strict-input.js";

/** Every `code` the ERIP spec declares. */
export type EripErrorCode =
  | "VALIDATION_ERROR"
  | "INVITE_INVALID"
  | "INVITE_EXPIRED"
  | "LOGIN_LINK_INVALID"
  | "LOGIN_LINK_EXPIRED"
  | "AUTHENTICATION_REQUIRED"
  | "INVALID_TOKEN"
  | "TOKEN_EXPIRED"
  | "INVALID_API_KEY"
  | "API_KEY_REVOKED"
  | "USER_SUSPENDED"
  | "JWT_REQUIRED"
  | "TENANT_ADMIN_REQUIRED"
  | "USER_CREDENTIAL_REQUIRED"
  | "INSUFFICIENT_CREDITS"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED";

/** Thrown inside handlers; `onError` turns it (and any `HttpProblem`) into the spec's error body. */
export class EripProblem extends HttpProblem<EripErrorCode> {
  override name = "EripProblem";
}

/** Assigns a fresh `X-Request-Id` to every response. */
export const requestIdMiddleware = createRequestIdMiddleware({ keepCallers: false });

/** Epoch ms to ISO 8601. */
export const iso = (ms: number): string => new Date(ms).toISOString();
