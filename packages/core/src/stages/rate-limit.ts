/**
 * The rate-limit stage: reads `X-RateLimit-*` and `RateLimit-Limit/-Remaining/-Reset` on every
 * response into `meta.rateLimit`, the client's `rateLimit` and `onRateLimit`. A generated client
 * includes it when its spec declares such headers or a 429 response; the IETF structured fields
 * are the `ietfRateLimitStage`'s.
 */
import type { CallScope, Stage } from "../client/stage.js";
import type { RateLimitInfo } from "../client/types.js";
import { excerpt } from "../internal/redact.js";
import { parseRateLimitHeaders } from "../metering/rate-limit.js";

/** Keeps what a response said about the rate limit: in the call, the client, and `onRateLimit`. */
export function recordRateLimit(parsed: RateLimitInfo | undefined, call: CallScope): void {
  if (parsed === undefined) return;
  // A policy name is the server's text: redacted like any other it echoes.
  const rateLimit = parsed.policy !== undefined ? { ...parsed, policy: excerpt(parsed.policy, 128, call.redact()) } : parsed;
  call.progress.rateLimit = rateLimit;
  call.memory.rateLimit = rateLimit;
  call.config.hooks?.onRateLimit?.(rateLimit, call.info);
}

/** `X-RateLimit-*` / `RateLimit-*` triplets on every response. */
export const rateLimitStage: Stage = {
  name: "rateLimit",
  options: ["hooks.onRateLimit"],
  observe: (headers, call) => recordRateLimit(parseRateLimitHeaders(headers, call.config.clock.now()), call),
};
