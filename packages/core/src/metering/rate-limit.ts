import type { HeaderView } from "../internal/header-view.js";
import type { RateLimitInfo } from "../client/types.js";
import { parseHeaderNumber } from "./parse-number.js";

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Values above this are epoch seconds (Auth0's and GitHub's `X-RateLimit-Reset`), not deltas. */
const EPOCH_THRESHOLD = 1_000_000_000;

/**
 * Reads the rate-limit header triplets: `RateLimit-Limit/-Remaining/-Reset` and `X-RateLimit-*`
 * (a reset above 10^9 is an epoch second, as GitHub and Auth0 send it). Garbage is ignored, never
 * thrown. The IETF structured `RateLimit` fields are read by `parseRateLimit`.
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
  setNumber(info, "resetSeconds", reset !== undefined && reset > EPOCH_THRESHOLD ? Math.max(0, reset - now / 1000) : reset);
}

/** Sets a field once: the first source to give a finite number wins. */
export function setNumber(info: Mutable<RateLimitInfo>, key: "limit" | "remaining" | "resetSeconds" | "windowSeconds", value: unknown): void {
  if (info[key] === undefined && typeof value === "number" && Number.isFinite(value)) info[key] = value;
}
