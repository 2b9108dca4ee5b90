import { systemClock, type Clock } from "../internal/clock.js";
import type { CachedToken, TokenCache } from "./token-cache.js";

/** Entries below which `set` never sweeps. */
const SWEEP_FLOOR = 64;

/**
 * The default token cache: a `Map` in this process. Expired entries are dropped when read, except
 * those holding a refresh token (it outlives the access token, and holders sharing the entry
 * refresh with it) until the refresh token's own stated expiry, if any; `set` also sweeps them out once the map has doubled since the last sweep, so
 * entries nobody reads again do not pile up. In-process single flight is the token manager's
 * job, so there is no `withRefreshLock`.
 */
export function createMemoryTokenCache(options: { readonly clock?: Clock } = {}): TokenCache {
  const clock = options.clock ?? systemClock;
  const tokens = new Map<string, CachedToken>();
  let sweepAt = SWEEP_FLOOR;
  /** Nothing left to use: the access token has expired and there is no refresh token still valid. */
  const expired = (token: CachedToken, now: number): boolean =>
    token.expiresAt <= now && (token.refreshToken === undefined || (token.refreshExpiresAt !== undefined && token.refreshExpiresAt <= now));
  return {
    get(key) {
      const token = tokens.get(key);
      if (token !== undefined && expired(token, clock.now())) {
        tokens.delete(key);
        return undefined;
      }
      return token;
    },
    set(key, token) {
      tokens.set(key, token);
      if (tokens.size < sweepAt) return;
      const now = clock.now();
      for (const [name, entry] of tokens) if (expired(entry, now)) tokens.delete(name);
      sweepAt = Math.max(SWEEP_FLOOR, tokens.size * 2);
    },
    delete(key) {
      tokens.delete(key);
    },
  };
}
