import { createHash } from "node:crypto";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";

/**
 * The Redis key of one shared entry: `<prefix>{<sha256 of the entry's key>}:<part>`. Every part of
 * one entry (a token, its refresh lock; a pace window, its credit spend) carries the same hash tag,
 * so Redis Cluster keeps them in one slot: the scripts that touch several of them run on one node,
 * and a `MOVED` or `ASK` redirect moves them together. The entry's key itself (which names a
 * client id, a tenant, an origin) never reaches Redis: only its hash does.
 */
export function taggedKey(prefix: string, key: string, part: string): string {
  return `${prefix}{${createHash("sha256").update(key).digest("hex")}}:${part}`;
}

/** Checks a key prefix: any string without `{` or `}` (which would move the hash tag and split an entry across slots). */
export function checkPrefix(factory: string, prefix: unknown, fallback: string): string {
  if (prefix === undefined) return fallback;
  if (typeof prefix !== "string" || /[{}]/.test(prefix)) {
    throw new PorticoNodeError(
      NodeErrorCode.INVALID_OPTIONS,
      `${factory}: "prefix" must be a string without "{" or "}" (Redis Cluster reads braces as the hash tag), e.g. "myapp:portico:"`,
    );
  }
  return prefix;
}

/** Parses an optional positive whole number of milliseconds, naming the option when it is not one. */
export function positiveMs(factory: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${factory}: "${name}" must be a positive integer (milliseconds)`);
  }
  return value;
}
