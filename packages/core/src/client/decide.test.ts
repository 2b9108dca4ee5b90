/**
 * `decide` as given/want tables: what happened in an attempt, what the call allows, how far it
 * got → finish, read, replay or retry (and the delay). No sockets and no clock: `random` is fixed.
 */
import { describe, expect, test } from "vitest";
import { ApiError } from "../errors/api-error.js";
import { PorticoError } from "../errors/portico-error.js";
import { DEFAULT_RETRY } from "../resilience/retry-policy.js";
import { decide, type AttemptOutcome, type CallPolicy, type Decision } from "./decide.js";

/** Backoff with `random` = 0.5: half the ceiling (300 ms, then 600 ms, ...). */
const policy: CallPolicy = {
  ...DEFAULT_RETRY,
  canRetry: true,
  hasIdempotencyKey: false,
  authorized: false,
  retryableCodes: new Set(["IDEMPOTENCY_KEY_IN_USE"]),
  random: () => 0.5,
};
const keyed: CallPolicy = { ...policy, hasIdempotencyKey: true };
const unsafe: CallPolicy = { ...policy, canRetry: false };
const authorized: CallPolicy = { ...policy, authorized: true };

const first = { retries: 0, replayed: false };
const spent = { retries: 2, replayed: false };
const replayed = { retries: 0, replayed: true };
const budgetSpent = { retries: 0, replayed: false, budgetExhausted: true };

const responded = (status: number, retryAfterMs?: number): AttemptOutcome => ({ stage: "responded", status, retryAfterMs });
const failed = (code: "NETWORK_ERROR" | "TIMEOUT" | "ABORTED" | "UNEXPECTED_RESPONSE"): AttemptOutcome => ({ stage: "failed", error: new PorticoError(code, code) });
const apiError = (code: string, status: number) =>
  new ApiError(code, code, status, { code });
const rejected = (status: number, error: PorticoError<string>, retryAfterMs?: number): AttemptOutcome => ({ stage: "rejected", status, retryAfterMs, error });

const FINISH: Decision = { then: "finish" };
const READ: Decision = { then: "read" };
const REPLAY: Decision = { then: "replay" };
const retry = (delayMs: number): Decision => ({ then: "retry", delayMs });

describe("decide", () => {
  const table: [string, AttemptOutcome, CallPolicy, { retries: number; replayed: boolean; budgetExhausted?: boolean }, Decision][] = [
    // Transient failures: retried while the budget lasts, with backoff.
    ["network error, first attempt", failed("NETWORK_ERROR"), policy, first, retry(150)],
    ["timeout, after one retry", failed("TIMEOUT"), policy, { retries: 1, replayed: false }, retry(300)],
    ["network error, retries spent", failed("NETWORK_ERROR"), policy, spent, FINISH],
    ["network error on an unkeyed POST", failed("NETWORK_ERROR"), unsafe, first, FINISH],
    ["aborted by the caller", failed("ABORTED"), policy, first, FINISH],
    ["a response the HTTP client refused", failed("UNEXPECTED_RESPONSE"), policy, first, FINISH],
    // Success and plain errors are read.
    ["200", responded(200), policy, first, READ],
    ["404", responded(404), policy, first, READ],
    // Retryable statuses are retried unread; Retry-After wins over backoff.
    ["503", responded(503), policy, first, retry(150)],
    ["429 with Retry-After 2 s", responded(429, 2000), policy, first, retry(2000)],
    ["503 with Retry-After beyond maxRetryAfterMs", responded(503, 3_600_000), policy, first, READ],
    ["503, retries spent", responded(503), policy, spent, READ],
    ["503 on an unkeyed POST", responded(503), unsafe, first, READ],
    // 401: one replay after a refresh, when a credential was sent.
    ["401 with a credential", responded(401), authorized, first, REPLAY],
    ["401 again after the replay", responded(401), authorized, replayed, READ],
    ["401 without a credential", responded(401), policy, first, READ],
    // 409 is judged by its body.
    ["409 is read first", responded(409), keyed, first, READ],
    ["409 undeclared, with a key: the first request is in flight", rejected(409, new PorticoError("CONFLICT", "conflict")), keyed, first, retry(150)],
    ["409 undeclared, without a key", rejected(409, new PorticoError("CONFLICT", "conflict")), policy, first, FINISH],
    ["409 declared retryable code", rejected(409, apiError("IDEMPOTENCY_KEY_IN_USE", 409), 1000), keyed, first, retry(1000)],
    ["409 declared code not retryable", rejected(409, apiError("SKU_EXISTS", 409)), keyed, first, FINISH],
    ["409 retryable code, retries spent", rejected(409, apiError("IDEMPOTENCY_KEY_IN_USE", 409)), keyed, spent, FINISH],
    ["409 retryable code, Retry-After too long", rejected(409, apiError("IDEMPOTENCY_KEY_IN_USE", 409), 3_600_000), keyed, first, FINISH],
    // A body that broke off while read is transient like a failed send.
    ["body broke off", failed("NETWORK_ERROR"), keyed, first, retry(150)],
    // The origin's retry budget is spent: nothing is retried, the answer is read; a 401 is still replayed.
    ["network error, the origin's budget spent", failed("NETWORK_ERROR"), policy, budgetSpent, FINISH],
    ["503, the origin's budget spent", responded(503), policy, budgetSpent, READ],
    ["429 with Retry-After, the origin's budget spent", responded(429, 2000), policy, budgetSpent, READ],
    ["409 retryable code, the origin's budget spent", rejected(409, apiError("IDEMPOTENCY_KEY_IN_USE", 409)), keyed, budgetSpent, FINISH],
    ["401 with a credential, the origin's budget spent", responded(401), authorized, budgetSpent, REPLAY],
  ];
  test.each(table)("%s", (_name, outcome, given, progress, want) => {
    expect(decide(outcome, given, progress)).toEqual(want);
  });

  test("maxRetries 0 never retries", () => {
    expect(decide(responded(503), { ...policy, maxRetries: 0 }, first)).toEqual(READ);
    expect(decide(failed("NETWORK_ERROR"), { ...policy, maxRetries: 0 }, first)).toEqual(FINISH);
  });
});
