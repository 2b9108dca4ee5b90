import { describe, expect, test } from "vitest";
import { DEFAULT_RETRY, backoffDelay, isRetryableStatus, isSafeMethod, parseRetryAfter } from "./retry-policy.js";

describe("retry policy", () => {
  test.each([408, 425, 429, 500, 502, 503, 504])("%i is retryable", (status) => {
    expect(isRetryableStatus(status, false)).toBe(true);
  });
  test.each([400, 401, 402, 403, 404, 422, 501])("%i is not retryable", (status) => {
    expect(isRetryableStatus(status, true)).toBe(false);
  });
  test("409 only with an idempotency key", () => {
    expect(isRetryableStatus(409, true)).toBe(true);
    expect(isRetryableStatus(409, false)).toBe(false);
  });
  test("safe methods", () => {
    expect(["GET", "HEAD", "OPTIONS", "TRACE"].every(isSafeMethod)).toBe(true);
    expect(["POST", "PUT", "PATCH", "DELETE"].some(isSafeMethod)).toBe(false);
  });
  test("full jitter stays within the exponential ceiling and the cap", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(2, policy, () => 0)).toBe(0);
  });
  test.each<[string | null, number | undefined]>([
    ["1", 1000],
    ["0", 0],
    [" 120 ", 120_000],
    ["Wed, 01 Jan 2025 00:00:30 GMT", 30_000],
    ["Tue, 31 Dec 2024 23:59:00 GMT", 0],
    ["soon", undefined],
    ["-5", undefined],
    ["", undefined],
    [null, undefined],
  ])("Retry-After %j → %j ms", (value, want) => {
    expect(parseRetryAfter(value, Date.UTC(2025, 0, 1))).toBe(want);
  });
});
