import type { CachedToken } from "@portico/core";

/**
 * In-process copy of every token seen, used while Redis is unreachable. Entries are dropped on
 * read once past `retainUntil` (by default the access token's expiry).
 */
export interface LocalTokenStore {
  get(key: string): CachedToken | undefined;
  set(key: string, token: CachedToken): void;
  delete(key: string): void;
}

export function createLocalTokenStore(
  retainUntil: (token: CachedToken) => number = (token) => token.expiresAt,
  now: () => number = Date.now,
): LocalTokenStore {
  const tokens = new Map<string, CachedToken>();
  return {
    get(key) {
      const token = tokens.get(key);
      if (token !== undefined && retainUntil(token) <= now()) {
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
