import { systemClock, type Clock } from "../internal/clock.js";
import type { CachedToken, TokenCache } from "./token-cache.js";

/**
 * The default token cache: a `Map` in this process. Expired entries are dropped when read.
 * In-process single flight is the token manager's job, so there is no `withRefreshLock`.
 */
export function createMemoryTokenCache(options: { readonly clock?: Clock } = {}): TokenCache {
  const clock = options.clock ?? systemClock;
  const tokens = new Map<string, CachedToken>();
  return {
    get(key) {
      const token = tokens.get(key);
      if (token !== undefined && token.expiresAt <= clock.now()) {
        tokens.delete(key);
        return undefined;
      }
      return token;
    },
    set(key, token) {
      tokens.set(key, token);
    },
    delete(key) {
      tokens.delete(key);
    },
  };
}
