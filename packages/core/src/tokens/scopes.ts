import { PorticoError } from "../errors/portico-error.js";
import type { JwtClaims } from "../internal/jwt.js";

/** Splits an OAuth `scope` string (space-separated) into scopes. */
export function splitScopes(scope: string): readonly string[] {
  return scope.split(/\s+/).filter((part) => part.length > 0);
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
