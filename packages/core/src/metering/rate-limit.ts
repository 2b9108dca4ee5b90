import type { HeaderView } from "../internal/header-view.js";
import type { RateLimitInfo } from "../client/types.js";
import { parseHeaderNumber } from "./parse-number.js";

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Values above this are epoch seconds (Auth0's and GitHub's `X-RateLimit-Reset`), not deltas. */
const EPOCH_SECONDS = 1_000_000_000;
/** Values above this are epoch milliseconds: a server that sent `Date.now()` where seconds belong. */
const EPOCH_MILLISECONDS = 1_000_000_000_000;

/**
 * The furthest reset a client believes: a day (a daily quota). A reset further away is a server's
 * mistake (a date years ahead, a unit it did not say) that would hold every call back for as long
 * as it claims: it is ignored, and the server's own 429 and `Retry-After` say when to come back.
 */
export const MAX_RESET_SECONDS = 86_400;

/**
 * Reads the rate-limit header triplets: `RateLimit-Limit/-Remaining/-Reset` and `X-RateLimit-*`
 * (a reset above 10^9 is an epoch second, as GitHub and Auth0 send it; above 10^12, an epoch
 * millisecond). Garbage, and a reset more than `MAX_RESET_SECONDS` away, is ignored, never thrown.
 * The IETF structured `RateLimit` fields are read by `parseRateLimit`.
 */
export function parseRateLimitHeaders(headers: HeaderView, now: number = Date.now()): RateLimitInfo | undefined {
  const info: Mutable<RateLimitInfo> = {};
  readTriplets(headers, info, now);
  return Object.keys(info).length === 0 ? undefined : info;
}

/** Fills what `info` lacks from the triplets. */
export function readTriplets(headers: HeaderView, info: Mutable<RateLimitInfo>, now: number): void {
  readTriplet(headers, "ratelimit-", info, now);
  readTriplet(headers, "x-ratelimit-", info, now);
}

function readTriplet(headers: HeaderView, prefix: string, info: Mutable<RateLimitInfo>, now: number): void {
  setNumber(info, "limit", parseHeaderNumber(headers.get(`${prefix}limit`)));
  setNumber(info, "remaining", parseHeaderNumber(headers.get(`${prefix}remaining`)));
  const reset = parseHeaderNumber(headers.get(`${prefix}reset`));
  setNumber(info, "resetSeconds", reset === undefined ? undefined : secondsUntil(reset, now));
}

/** A reset as seconds from `now`: a delta as is, an epoch second or millisecond counted from `now`. */
function secondsUntil(reset: number, now: number): number {
  if (reset > EPOCH_MILLISECONDS) return Math.max(0, (reset - now) / 1000);
  if (reset > EPOCH_SECONDS) return Math.max(0, reset - now / 1000);
  return reset;
}

/**
 * Sets a field once: the first source to give a finite number wins. A reset further than
 * `MAX_RESET_SECONDS` is no number (the next source may give one).
 */
export function setNumber(info: Mutable<RateLimitInfo>, key: "limit" | "remaining" | "resetSeconds" | "windowSeconds", value: unknown): void {
  if (info[key] !== undefined || typeof value !== "number" || !Number.isFinite(value)) return;
  if (key === "resetSeconds" && value > MAX_RESET_SECONDS) return;
  info[key] = value;
}
