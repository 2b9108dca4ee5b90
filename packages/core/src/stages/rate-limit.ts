/**
 * The rate-limit stage: reads `X-RateLimit-*` and `RateLimit-Limit/-Remaining/-Reset` on every
 * response into `meta.rateLimit`, the client's `rateLimit` and `onRateLimit`, and, with pacing on,
 * tells the pace store what the window holds so the next calls wait for a spent window's reset
 * instead of earning a 429. A generated client includes it when its spec declares such headers
 * or a 429 response; the IETF structured fields are the `ietfRateLimitStage`'s.
 */
import type { CallScope, Pacer, Stage } from "../client/stage.js";
import type { RateLimitInfo } from "../client/types.js";
import { excerpt } from "../internal/redact.js";
import { parseRateLimitHeaders } from "../metering/rate-limit.js";
import { paceAttempt, paceKeyOf, paceStoreOf } from "../pacing/pacing.js";

/** Keeps what a response said about the rate limit: in the call, the client, the pace store and `onRateLimit`. */
export function recordRateLimit(parsed: RateLimitInfo | undefined, call: CallScope): void {
  reportWindow(parsed, call);
  if (parsed === undefined) return;
  // A policy name is the server's text: redacted like any other it echoes.
  const rateLimit = parsed.policy !== undefined ? { ...parsed, policy: excerpt(parsed.policy, 128, call.redact()) } : parsed;
  call.progress.rateLimit = rateLimit;
  call.memory.rateLimit = rateLimit;
  call.config.hooks?.onRateLimit?.(rateLimit, call.info);
}

/**
 * Tells the pace store what the window holds, when a response gave both the remaining count and
 * the reset. (A 429's `Retry-After` is the retry's to wait for, not the window's.)
 */
function reportWindow(parsed: RateLimitInfo | undefined, call: CallScope): void {
  const pacing = call.config.controls.pacing;
  if (pacing === undefined || parsed?.remaining === undefined || parsed.resetSeconds === undefined) return;
  const now = call.config.clock.now();
  const report: { remaining: number; resetAt: number; limit?: number; windowMs?: number } = { remaining: parsed.remaining, resetAt: now + parsed.resetSeconds * 1000 };
  if (parsed.limit !== undefined) report.limit = parsed.limit;
  if (parsed.windowSeconds !== undefined && parsed.windowSeconds > 0) report.windowMs = parsed.windowSeconds * 1000;
  const recorded = paceStoreOf(pacing).record(paceKeyOf(call), report, now);
  // A shared store that fails to record leaves pacing to the next response: never the call's failure.
  if (recorded !== undefined) recorded.catch(() => {});
}

/** Pacing by the rate-limit window: each attempt takes one request from it, or waits for its reset. */
export const rateLimitPace: Pacer = {
  reason: "rate-limit",
  wait: (call, store) => store.reserve(paceKeyOf(call), call.config.clock.now()),
  attempt: paceAttempt,
};

/** `X-RateLimit-*` / `RateLimit-*` triplets on every response. */
export const rateLimitStage: Stage = {
  name: "rateLimit",
  options: ["hooks.onRateLimit"],
  pace: rateLimitPace,
  observe: (headers, call) => recordRateLimit(parseRateLimitHeaders(headers, call.config.clock.now()), call),
};
