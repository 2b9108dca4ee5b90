/**
 * What to do after an attempt, as a pure function of what happened, the call's policy and how
 * many attempts it already made: finish, read the body, replay once after a credential refresh,
 * or retry after a delay (`Retry-After` or backoff with full jitter).
 */
import { ApiError } from "../errors/api-error.js";
import type { PorticoError } from "../errors/portico-error.js";
import { backoffDelay, isRetryableStatus, type RetryPolicy } from "../resilience/retry-policy.js";

/** What an attempt produced, at the point a decision is due. */
export type AttemptOutcome =
  /** No response: the fetcher threw, or the body broke off while being read. */
  | { readonly stage: "failed"; readonly error: PorticoError<string> }
  /** A response arrived; its body is not read yet. */
  | { readonly stage: "responded"; readonly status: number; readonly retryAfterMs: number | undefined }
  /** An error response, read in full. */
  | { readonly stage: "rejected"; readonly status: number; readonly retryAfterMs: number | undefined; readonly error: PorticoError<string> };

/** What the call allows, fixed for the whole call. */
export interface CallPolicy extends RetryPolicy {
  /** Safe method, or an idempotency key: retrying cannot do the work twice. */
  readonly canRetry: boolean;
  readonly hasIdempotencyKey: boolean;
  /** A credential was sent that can be refreshed after a 401. */
  readonly authorized: boolean;
  /** Declared error codes the spec marks as worth retrying with the same key. */
  readonly retryableCodes: ReadonlySet<string>;
  readonly random?: () => number;
}

/** How far the call has got. */
export interface CallProgress {
  /** Retries made so far (a replay after a refresh is not one). */
  readonly retries: number;
  readonly replayed: boolean;
  /** The origin's retry budget is spent (see `origin-health.ts`): no retry, whatever else allows it. */
  readonly budgetExhausted?: boolean | undefined;
}

export type Decision =
  | { readonly then: "finish" }
  | { readonly then: "read" }
  | { readonly then: "replay" }
  | { readonly then: "retry"; readonly delayMs: number };

const FINISH: Decision = { then: "finish" };
const READ: Decision = { then: "read" };
const REPLAY: Decision = { then: "replay" };

export function decide(outcome: AttemptOutcome, policy: CallPolicy, progress: CallProgress): Decision {
  const mayRetry = policy.canRetry && progress.retries < policy.maxRetries && progress.budgetExhausted !== true;
  const retry = (retryAfterMs?: number): Decision => ({ then: "retry", delayMs: retryAfterMs ?? backoffDelay(progress.retries + 1, policy, policy.random) });
  switch (outcome.stage) {
    case "failed":
      return mayRetry && isTransient(outcome.error) ? retry() : FINISH;
    case "responded": {
      if (outcome.status === 401 && policy.authorized && !progress.replayed) return REPLAY;
      // A 409 is judged by its body; other transient statuses are retried unread.
      if (!mayRetry || outcome.status === 409 || !waitable(outcome.retryAfterMs, policy)) return READ;
      return isRetryableStatus(outcome.status, policy.hasIdempotencyKey) ? retry(outcome.retryAfterMs) : READ;
    }
    case "rejected":
      return mayRetry && waitable(outcome.retryAfterMs, policy) && isRetryableError(outcome.error, outcome.status, policy) ? retry(outcome.retryAfterMs) : FINISH;
  }
}

/** A `Retry-After` longer than the policy allows is not waited for: the call ends with the answer. */
function waitable(retryAfterMs: number | undefined, policy: RetryPolicy): boolean {
  return retryAfterMs === undefined || retryAfterMs <= policy.maxRetryAfterMs;
}

function isTransient(error: PorticoError<string>): boolean {
  return error.code === "NETWORK_ERROR" || error.code === "TIMEOUT";
}

/**
 * Whether an error response read in full is worth another attempt: a declared error (`ApiError`)
 * only when the spec marks its code retryable; an undeclared 409 on a call with an idempotency
 * key as "the first request with this key is still in flight" (IETF Idempotency-Key draft).
 */
function isRetryableError(error: PorticoError<string>, status: number, policy: CallPolicy): boolean {
  if (error instanceof ApiError) return policy.retryableCodes.has(error.code);
  return status === 409 && policy.hasIdempotencyKey;
}
