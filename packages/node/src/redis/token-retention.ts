import type { CachedToken } from "@portico/core";

/**
 * Until when a cache entry is worth keeping, epoch ms: its access token's expiry, or for an entry
 * holding a refresh token, the refresh token's (its stated `refreshExpiresAt`, else
 * `refreshTokenTtlMs` after the token was obtained), whichever is later.
 */
export function retainUntil(token: CachedToken, refreshTokenTtlMs: number): number {
  if (token.refreshToken === undefined) return token.expiresAt;
  return Math.max(token.expiresAt, token.refreshExpiresAt ?? token.obtainedAt + refreshTokenTtlMs);
}
