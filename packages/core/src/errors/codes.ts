/**
 * The SDK's own error codes, stable across releases. Spec-declared codes are added per operation
 * by the generated types, so `switch (error.code)` covers both.
 *
 * A declared error response (an `ApiError`) takes its `code` from the body's code-like enum
 * (`code`, `error_code`, `errorCode` or `error.code`, the first the spec declares as an enum).
 * When the spec declares no such enum for the status, the code derives from the status: the
 * RFC 9110 reason phrase in UPPER_SNAKE (`404` → `NOT_FOUND`, `422` → `UNPROCESSABLE_CONTENT`,
 * `429` → `RATE_LIMITED`, as the SDK code), else `HTTP_<status>` (`418` → `HTTP_418`). The full
 * table is `StatusErrorCode` (`errors/status-codes.ts`); `statusErrorCode(status)` computes one.
 */
export const SdkErrorCode = {
  /** The request never got an HTTP response (DNS, refused, reset). */
  NETWORK_ERROR: "NETWORK_ERROR",
  /** An attempt or the whole call took longer than `timeout`. */
  TIMEOUT: "TIMEOUT",
  /** The caller's `signal` aborted the call. */
  ABORTED: "ABORTED",
  /**
   * `429 Too Many Requests` after retries ran out; or, unsent, a call that would wait longer than
   * `maxWaitMs` for a spent rate limit or credit budget (`details.retryAfterMs`, `details.source`).
   */
  RATE_LIMITED: "RATE_LIMITED",
  /**
   * The origin failed so many attempts in a row that calls to it fail fast for a cooldown; nothing
   * was sent. `details.retryAt` (epoch ms) says when a probe may go. See `circuitBreaker`.
   */
  CIRCUIT_OPEN: "CIRCUIT_OPEN",
  /** `402 Payment Required`, or the client-side credit guard refused the call. */
  INSUFFICIENT_CREDITS: "INSUFFICIENT_CREDITS",
  /** Fetching or refreshing a token failed and no valid token remained. */
  TOKEN_REFRESH_FAILED: "TOKEN_REFRESH_FAILED",
  /** The token endpoint answered with a body that is not a valid token response. */
  TOKEN_RESPONSE_INVALID: "TOKEN_RESPONSE_INVALID",
  /** A login session (no refresh token) has ended; sign in again. */
  SESSION_EXPIRED: "SESSION_EXPIRED",
  /** The response matched no declared shape (HTML from a proxy, empty, truncated JSON, ...). */
  UNEXPECTED_RESPONSE: "UNEXPECTED_RESPONSE",
  /** A response body larger than `maxResponseBytes` (counted after decompression); it was not read, and is not retried. */
  RESPONSE_TOO_LARGE: "RESPONSE_TOO_LARGE",
  /** Same Idempotency-Key sent with a different payload (`422` per the IETF draft). */
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  /** A token's tenant claim differs from the tenant the client was built for. */
  TENANT_MISMATCH: "TENANT_MISMATCH",
  /** The granted scopes do not cover the operation's required scopes (checked locally). */
  INSUFFICIENT_SCOPES: "INSUFFICIENT_SCOPES",
  /** A sandbox credential against production, or a live one against a sandbox. */
  ENVIRONMENT_MISMATCH: "ENVIRONMENT_MISMATCH",
  /** A credential that does not match the format the spec declares. */
  INVALID_TOKEN_FORMAT: "INVALID_TOKEN_FORMAT",
  /** No configured credential satisfies the operation's security requirements. */
  CREDENTIAL_NOT_ALLOWED: "CREDENTIAL_NOT_ALLOWED",
  /** Two credential schemes would be sent on one request where the API allows one. */
  CREDENTIAL_CONFLICT: "CREDENTIAL_CONFLICT",
  /** A credential would be sent over plain `http://` to a non-loopback host, or across a redirect. */
  INSECURE_TRANSPORT: "INSECURE_TRANSPORT",
  /** The `state` returned to the redirect URI differs from the one sent (possible CSRF); the code is not exchanged. */
  STATE_MISMATCH: "STATE_MISMATCH",
  /** The authorization server redirected back with an OAuth `error` (e.g. `access_denied`); see `details.oauthError`. */
  AUTHORIZATION_DENIED: "AUTHORIZATION_DENIED",
  /** Options given to a factory were invalid (thrown at construction). */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /**
   * The call's own input cannot be sent as given (a body that cannot be encoded as the operation's
   * media type, for instance); nothing was sent. Fix the call.
   */
  INVALID_REQUEST: "INVALID_REQUEST",
  /**
   * A streamed response carried an item that cannot be read: a JSON Lines line or an SSE event's
   * `data` that is not JSON, or one longer than the stream's limit. `details.line` (JSON Lines)
   * or `details.eventId` (SSE) says where. Thrown by the stream's iteration, which then ends.
   */
  STREAM_MALFORMED: "STREAM_MALFORMED",
  /**
   * A streamed response broke off and was not resumed: a JSON Lines stream, a POST or PATCH event
   * stream (never sent again), or an event stream whose reconnects ran out.
   */
  STREAM_INTERRUPTED: "STREAM_INTERRUPTED",
} as const;

/** Union of the SDK's own error codes. */
export type SdkErrorCode = (typeof SdkErrorCode)[keyof typeof SdkErrorCode];

/** Codes thrown only by sign-in helpers, never carried by a call's `{ error }`. */
export type SignInErrorCode = typeof SdkErrorCode.STATE_MISMATCH | typeof SdkErrorCode.AUTHORIZATION_DENIED;

/** Codes thrown only by a stream's iteration (`client.stream(...)`), never carried by a call's `{ error }`. */
export type StreamErrorCode = typeof SdkErrorCode.STREAM_MALFORMED | typeof SdkErrorCode.STREAM_INTERRUPTED;

/** The SDK codes a call's `{ error }` can carry: what an exhaustive `switch (error.code)` covers. */
export type CallErrorCode = Exclude<SdkErrorCode, SignInErrorCode | StreamErrorCode>;
