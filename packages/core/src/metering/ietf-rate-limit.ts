import { Token, parseDictionary, parseList, type BareItem, type InnerList, type Item } from "structured-headers";
import type { HeaderView } from "../internal/header-view.js";
import type { RateLimitInfo } from "../client/types.js";
import { readTriplets, setNumber, type Mutable } from "./rate-limit.js";

/** Structured fields longer than this are not parsed (a bound against hostile headers). */
const MAX_FIELD_LENGTH = 4096;

/**
 * Reads rate-limit headers: the IETF draft's `RateLimit` / `RateLimit-Policy` structured fields
 * (draft-08+ `"name";r=..;t=..` and draft-07 `limit=.., remaining=.., reset=..`), the older
 * `RateLimit-Limit/-Remaining/-Reset`, and `X-RateLimit-*`. Garbage is ignored, never thrown.
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/
 */
export function parseRateLimit(headers: HeaderView, now: number = Date.now()): RateLimitInfo | undefined {
  const info: Mutable<RateLimitInfo> = {};
  const structured = headers.get("ratelimit");
  if (structured) readRateLimitField(structured, info);
  const policy = headers.get("ratelimit-policy");
  if (policy) readPolicyField(policy, info);
  readTriplets(headers, info, now);
  return Object.keys(info).length === 0 ? undefined : info;
}

function readRateLimitField(value: string, info: Mutable<RateLimitInfo>): void {
  if (value.length > MAX_FIELD_LENGTH) return;
  // draft-07: a dictionary `limit=100, remaining=50, reset=30`.
  const dict = safe(() => parseDictionary(value));
  if (dict && (dict.has("remaining") || dict.has("limit") || dict.has("reset"))) {
    setNumber(info, "limit", itemValue(dict.get("limit")));
    setNumber(info, "remaining", itemValue(dict.get("remaining")));
    setNumber(info, "resetSeconds", itemValue(dict.get("reset")));
    return;
  }
  // A policy-less item, `r=0;t=2`: reads as a dictionary whose `r` member carries `t` (or has its own `t`).
  const r = dict?.get("r");
  if (r !== undefined && !isInnerList(r)) {
    setNumber(info, "remaining", r[0]);
    setNumber(info, "resetSeconds", r[1].get("t") ?? itemValue(dict?.get("t")));
    return;
  }
  // draft-08+: a list of `"policy";r=<remaining>;t=<reset>`; the first item is the binding one.
  const list = safe(() => parseList(value));
  const first = list?.[0];
  if (!first || isInnerList(first)) return;
  const [name, params] = first;
  if (typeof name === "string" || name instanceof Token) info.policy = String(name);
  setNumber(info, "remaining", params.get("r"));
  setNumber(info, "resetSeconds", params.get("t"));
}

function readPolicyField(value: string, info: Mutable<RateLimitInfo>): void {
  if (value.length > MAX_FIELD_LENGTH) return;
  const list = safe(() => parseList(value));
  if (!list) return;
  // Prefer the policy named by `RateLimit`, else the first one.
  const items = list.filter((member): member is Item => !isInnerList(member));
  const chosen = items.find(([name]) => info.policy !== undefined && String(name) === info.policy) ?? items[0];
  if (!chosen) return;
  const [name, params] = chosen;
  if (typeof name === "number") {
    // draft-07: `100;w=60`
    setNumber(info, "limit", name);
  } else {
    info.policy ??= String(name);
    setNumber(info, "limit", params.get("q"));
  }
  setNumber(info, "windowSeconds", params.get("w"));
}

function itemValue(member: Item | InnerList | undefined): BareItem | undefined {
  return member && !isInnerList(member) ? member[0] : undefined;
}

function isInnerList(member: Item | InnerList): member is InnerList {
  return Array.isArray(member[0]);
}


function safe<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}
