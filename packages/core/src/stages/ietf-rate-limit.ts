/**
 * The IETF rate-limit stage: the `rateLimitStage`, plus the structured `RateLimit` and
 * `RateLimit-Policy` fields of the IETF draft (parsed with `structured-headers`). A generated
 * client includes it, instead of the `rateLimitStage`, when its spec declares those fields.
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/
 */
import type { Stage } from "../client/stage.js";
import { parseRateLimit } from "../metering/ietf-rate-limit.js";
import { rateLimitPace, recordRateLimit } from "./rate-limit.js";

/** IETF `RateLimit` / `RateLimit-Policy` fields and the triplets, on every response. */
export const ietfRateLimitStage: Stage = {
  name: "ietfRateLimit",
  options: ["hooks.onRateLimit"],
  pace: rateLimitPace,
  observe: (headers, call) => recordRateLimit(parseRateLimit(headers, call.config.clock.now()), call),
};
