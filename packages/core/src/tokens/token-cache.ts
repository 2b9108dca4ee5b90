/** A token as cached: the secret plus what is known of its lifetime and grants. */
export interface CachedToken {
  readonly accessToken: string;
  /** Absolute expiry, epoch milliseconds (local clock). */
  readonly expiresAt: number;
  /** When the token was obtained, epoch milliseconds (local clock). */
  readonly obtainedAt: number;
  readonly refreshToken?: string;
  /**
   * Absolute expiry of `refreshToken`, epoch milliseconds (local clock), when the server stated
   * one (`refresh_expires_in`, `refresh_token_expires_in`). Shared caches keep an entry holding a
   * refresh token until then, past the access token's expiry.
   */
  readonly refreshExpiresAt?: number;
  /** Granted scopes/permissions, from the token response `scope` or the JWT claim. */
  readonly scopes?: readonly string[];
  /** Tenant the token belongs to, when the API encodes one. */
  readonly tenant?: string;
}

/**
 * Where tokens live between calls. In memory by default; `@portico/node` adds a Redis store
 * shared by a whole fleet. Keys are opaque strings built by the token manager from everything
 * that shapes the token request (token URL, client id, audience, scope, terminal, tenant).
 */
export interface TokenCache {
  /**
   * The stored token, if any. May be expired: the token manager checks expiry itself, and an
   * expired entry's refresh token is still the newest one for holders that share the entry.
   */
  get(key: string): Promise<CachedToken | undefined> | CachedToken | undefined;
  set(key: string, token: CachedToken): Promise<void> | void;
  delete(key: string): Promise<void> | void;
  /**
   * Runs `refresh` so that, across every process sharing this cache, one caller per key fetches
   * at a time; the others wait and read what it stored. In-process caches just call `refresh`.
   */
  withRefreshLock?<T>(key: string, refresh: () => Promise<T>): Promise<T>;
}
