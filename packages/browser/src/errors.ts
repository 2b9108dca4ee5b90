import { PorticoError, type PorticoErrorDetails } from "@portico/core";

/** Error codes of `@portico/browser`, stable across releases. */
export const BrowserErrorCode = {
  /** The redirect came back but this tab holds no pending sign-in (started elsewhere, or already completed). */
  SIGN_IN_NOT_STARTED: "SIGN_IN_NOT_STARTED",
  /** The redirect's `state` is not the one this tab created: possibly forged, refused before any request. */
  STATE_MISMATCH: "STATE_MISMATCH",
  /** The user or the authorization server refused (`error=access_denied`). */
  AUTHORIZATION_DENIED: "AUTHORIZATION_DENIED",
  /** The authorization server answered the redirect with another error (`invalid_scope`, `login_required`, ...). */
  AUTHORIZATION_FAILED: "AUTHORIZATION_FAILED",
  /** The redirect carries neither `code` nor `error`. */
  AUTHORIZATION_CODE_MISSING: "AUTHORIZATION_CODE_MISSING",
  /** The ID token's `nonce` is not the one this tab sent (OIDC). */
  NONCE_MISMATCH: "NONCE_MISMATCH",
  /** sessionStorage is unavailable (blocked, sandboxed frame), so the sign-in cannot survive the redirect. */
  STORAGE_UNAVAILABLE: "STORAGE_UNAVAILABLE",
  /** The event WebSocket could not be opened, or closed before it opened. */
  EVENTS_CONNECTION_FAILED: "EVENTS_CONNECTION_FAILED",
} as const;

/** Union of the browser package's error codes. */
export type BrowserErrorCode = (typeof BrowserErrorCode)[keyof typeof BrowserErrorCode];

/** Details of a sign-in error: the authorization server's `error` and (redacted, bounded) description. */
export interface SignInErrorDetails extends PorticoErrorDetails {
  readonly oauthError?: string;
  readonly oauthErrorDescription?: string;
}

/**
 * A sign-in that cannot complete. `code` is stable; `message` never holds the code, state,
 * verifier or any token.
 */
export class SignInError extends PorticoError<BrowserErrorCode> {
  override readonly name: string = "SignInError";
  /** The `error` parameter of the redirect, when the authorization server sent one. */
  readonly oauthError: string | undefined;

  constructor(code: BrowserErrorCode, message: string, details: SignInErrorDetails = {}) {
    super(code, message, details);
    this.oauthError = details.oauthError;
  }
}

/** The event stream could not be opened (`EVENTS_CONNECTION_FAILED`). */
export class EventsConnectionError extends PorticoError<"EVENTS_CONNECTION_FAILED"> {
  override readonly name: string = "EventsConnectionError";
}
