import { PorticoError } from "../errors/portico-error.js";
import type { JwtClaims } from "../internal/jwt.js";

/** Splits an OAuth `scope` string (space-separated) into scopes. */
export function splitScopes(scope: string): readonly string[] {
  return scope.split(/\s+/).filter((part) => part.length > 0);
}

/** Scope lists kept for sharing (a fleet's tokens carry a handful of distinct ones); beyond this the map is renewed. */
const MAX_SHARED_SCOPE_LISTS = 64;
let sharedLists = new Map<string, readonly string[]>();

/**
 * One frozen list per distinct set of granted scopes, in order, shared by every token granted
 * them: a tenant fleet's active tokens would otherwise each hold their own copy of the same names.
 */
export function sharedScopes(scopes: readonly string[]): readonly string[] {
  const key = scopes.join(" ");
  let list = sharedLists.get(key);
  if (list === undefined || list.length !== scopes.length || list.some((scope, i) => scope !== scopes[i])) {
    if (sharedLists.size >= MAX_SHARED_SCOPE_LISTS) sharedLists = new Map();
    list = Object.freeze([...scopes]);
    sharedLists.set(key, list);
  }
  return list;
}

function stringList(value: unknown): readonly string[] | undefined {
  if (typeof value === "string") return splitScopes(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  return undefined;
}

/**
 * Granted scopes read from JWT claims: the configured permissions claim, else `permissions`,
 * else `scope`, else `scp`.
 */
export function scopesFromClaims(claims: JwtClaims | undefined, permissionsClaim?: string): readonly string[] | undefined {
  if (claims === undefined) return undefined;
  for (const name of [permissionsClaim, "permissions", "scope", "scp"]) {
    if (name === undefined) continue;
    const scopes = stringList(claims[name]);
    if (scopes !== undefined) return scopes;
  }
  return undefined;
}

/**
 * Pre-flight scope check: `INSUFFICIENT_SCOPES` naming the missing scopes when `granted` lacks any
 * of `required`; `undefined` when all are granted or the grants are unknown (nothing to check).
 */
export function checkScopes(required: readonly string[], granted: readonly string[] | undefined): PorticoError | undefined {
  if (granted === undefined || required.length === 0) return undefined;
  const have = new Set(granted);
  const missing = required.filter((scope) => !have.has(scope));
  if (missing.length === 0) return undefined;
  return new PorticoError(
    "INSUFFICIENT_SCOPES",
    `The credential's token lacks the scopes this operation requires: ${missing.join(", ")}. Request them when obtaining the token.`,
    { missing, required: [...required] },
  );
}
