/** Statuses worth another attempt (409 only for calls carrying an idempotency key). */
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** Resolved retry settings. */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 300, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/** Safe methods (RFC 9110 §9.2.1): no idempotency key is sent with them. */
export function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS" || method === "TRACE";
}

/** Idempotent methods (RFC 9110 §9.2.2: the safe ones, PUT and DELETE) may be retried without a key; POST and PATCH need one. */
export function isIdempotentMethod(method: string): boolean {
  return isSafeMethod(method) || method === "PUT" || method === "DELETE";
}

/**
 * Whether a status alone makes a response retryable. A `409` counts only with an idempotency key:
 * per the IETF Idempotency-Key draft it then means "the first request with this key is still in
 * flight". The pipeline reads a 409's body first: a declared error code is retried only when the
 * spec marks it retryable (`retryableCodes`), since APIs also answer 409 for real conflicts.
 */
export function isRetryableStatus(status: number, hasIdempotencyKey: boolean): boolean {
  if (status === 409) return hasIdempotencyKey;
  return RETRYABLE_STATUS.has(status);
}

/** Exponential backoff with full jitter: uniform in `[0, min(maxDelayMs, baseDelayMs * 2^(retry-1))]`. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Parses `Retry-After` (delay-seconds or HTTP-date) into milliseconds from `now`; `undefined`
 * when absent or unparseable.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-retry-after
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value == null || value.length === 0 || value.length > 64) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date starts with a day name (IMF-fixdate, RFC 850 and asctime forms alike).
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
