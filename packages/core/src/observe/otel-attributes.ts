/**
 * The attribute names the OpenTelemetry spans carry: the HTTP client conventions' own, and
 * portico's under `portico.`. None ever holds a secret: credentials appear as fingerprints only,
 * and query values are masked.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/
 */
export const OtelAttribute = {
  // --- the HTTP client conventions ---
  METHOD: "http.request.method",
  METHOD_ORIGINAL: "http.request.method_original",
  RESEND_COUNT: "http.request.resend_count",
  STATUS_CODE: "http.response.status_code",
  URL_FULL: "url.full",
  URL_TEMPLATE: "url.template",
  SERVER_ADDRESS: "server.address",
  SERVER_PORT: "server.port",
  ERROR_TYPE: "error.type",
  // --- the call ---
  API: "portico.api",
  OPERATION: "portico.operation",
  IDEMPOTENCY_KEY: "portico.idempotency_key",
  ATTEMPTS: "portico.attempts",
  REQUEST_ID: "portico.request_id",
  CREDITS_COST: "portico.credits.cost",
  CREDITS_REMAINING: "portico.credits.remaining",
  RATE_LIMIT_REMAINING: "portico.ratelimit.remaining",
  // --- an attempt ---
  RETRY_DELAY_MS: "portico.retry.delay_ms",
  RETRY_SOURCE: "portico.retry.source",
  REPLAY: "portico.replay",
  // --- a token request ---
  CREDENTIAL: "portico.credential",
  TOKEN_REASON: "portico.token.reason",
  TOKEN_FROM_CACHE: "portico.token.from_cache",
  TOKEN_EXPIRES_AT: "portico.token.expires_at",
  // --- the `portico.paced` event ---
  PACED_DELAY_MS: "portico.paced.delay_ms",
  PACED_REASON: "portico.paced.reason",
} as const;

/** Name of the span of a token request. */
export const TOKEN_SPAN_NAME = "portico token request";

/** Name of the event a call span gets when the call waits for a rate-limit or credit budget. */
export const PACED_EVENT = "portico.paced";
