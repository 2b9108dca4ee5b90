import type { PorticoError } from "../errors/portico-error.js";
import { systemClock, type Clock } from "../internal/clock.js";
import { createMemoryTokenCache } from "./memory-token-cache.js";
import type { CachedToken, TokenCache } from "./token-cache.js";
import { createTokenState, getToken, invalidateToken, noteTrip, seedToken, type TokenGrant, type TokenSettings } from "./token-state.js";

/** Why a token is being obtained. */
export type RefreshReason = "initial" | "refresh-ahead" | "expiring" | "expired" | "invalidated";

/** Fired when a new token is adopted (fetched, or found in a shared cache). Never holds the token. */
export interface TokenRefreshEvent {
  /** Fingerprint of the credential. */
  readonly credential: string;
  readonly reason: RefreshReason;
  /** The token came from the cache (another caller or process fetched it). */
  readonly fromCache: boolean;
  readonly expiresAt: number;
  readonly lifetimeMs: number;
  readonly scopes?: readonly string[];
  readonly tenant?: string;
}

/** Fired when obtaining a token failed. */
export interface TokenErrorEvent {
  readonly credential: string;
  readonly error: PorticoError;
  readonly reason: RefreshReason;
  /** The refresh ran ahead of expiry, nobody waited for it. */
  readonly background: boolean;
  /** A still-valid previous token keeps being served. */
  readonly servingPrevious: boolean;
  /** Earliest time of the next background attempt, epoch ms. */
  readonly retryAt: number;
}

/** Token lifecycle hooks; exceptions they throw are ignored. */
export interface TokenHooks {
  onTokenRefresh?(event: TokenRefreshEvent): void;
  onTokenError?(event: TokenErrorEvent): void;
}

/** Timing knobs of the refresh windows. */
export interface RefreshWindowOptions {
  /** Refresh in the background ahead of expiry. @default true */
  readonly refreshAhead?: boolean;
  /**
   * Largest soft window (serve the token, refresh in the background) in proportion to the
   * lifetime: the window is 1/12 of the token's lifetime (5 min of a 1 h token) up to this,
   * widened to twice the time attempts take to reach the API, never more than 1/12 of the lifetime
   * (so tokens are requested about once per lifetime). @default 300000
   */
  readonly softWindowMs?: number;
  /**
   * Largest hard window (callers wait for the refresh) in proportion to the lifetime: the window
   * is 1/120 of the token's lifetime (30 s of a 1 h token) up to this, widened to the time attempts
   * take to reach the API (a token with less life left is not handed out), never more than 1/24 of
   * the lifetime (a call slower than that may find its token expired, and is replayed with a fresh
   * one). @default 30000
   */
  readonly hardWindowMs?: number;
  /** First backoff after a failed refresh; doubles per failure, with jitter. @default 1000 */
  readonly retryInitialMs?: number;
  /** @default 30000 */
  readonly retryMaxMs?: number;
}

/** What a grant knows when it is asked for a new token. */
export interface TokenFetchContext {
  readonly reason: RefreshReason;
  /** The token this manager served until now, if any. */
  readonly previous: CachedToken | undefined;
  /**
   * The cache entry, read under the refresh lock just before this fetch, even if expired or
   * rejected: its refresh token is the newest any holder sharing the entry stored.
   */
  readonly stored: CachedToken | undefined;
  /**
   * Aborted when every call waiting for this token has been aborted (never for a background
   * refresh-ahead, which keeps its own timeout): pass it to the token request, so an abandoned
   * request does not hold its socket (and the process) open.
   */
  readonly signal?: AbortSignal;
}

export interface TokenManagerOptions extends RefreshWindowOptions {
  /** Cache key: everything that shapes the token request (see `tokenCacheKey`). */
  readonly key: string;
  /** Obtains a new token (the grant). Throws a `PorticoError` on failure. */
  readonly fetchToken: (context: TokenFetchContext) => Promise<CachedToken>;
  /** Rejects a token before it is cached or used (e.g. tenant claim check), by throwing. */
  readonly verify?: (token: CachedToken) => void;
  /** @default a new in-memory cache */
  readonly cache?: TokenCache;
  readonly clock?: Clock;
  readonly hooks?: TokenHooks;
  /** Fingerprint of the credential, for events and messages. */
  readonly label: () => string;
}

/** A token and the handle to pass back to `invalidate` if the API answers 401. */
export interface IssuedToken {
  readonly token: CachedToken;
  readonly handle: number;
}

/** Serves tokens for one cache key, refreshed ahead of expiry, one refresh at a time. */
export interface TokenManager {
  getToken(signal?: AbortSignal): Promise<IssuedToken>;
  /** Drops the token behind `handle` and refreshes once; true when a fresh token is ready. */
  invalidate(handle: unknown): Promise<boolean>;
  /** The token currently served, if any. */
  current(): CachedToken | undefined;
  /**
   * Tells the manager how long an attempt took from `getToken` resolving to the API's answer
   * (response headers), in ms: it learns how much life a token must have left when handed out,
   * and widens its windows to match.
   */
  noteTrip(elapsedMs: number): void;
  /**
   * Adopts a token obtained elsewhere (e.g. an authorization code exchange) and stores it; with
   * `ifAbsent`, the cache is written only when it holds no entry (a token restored from storage
   * must not replace a newer one another holder stored).
   */
  seed(token: CachedToken, options?: { readonly ifAbsent?: boolean }): Promise<void>;
}

/** Resolves refresh windows, hooks, cache and clock into shareable settings. */
export function tokenSettings(
  options: RefreshWindowOptions & { readonly hooks?: TokenHooks | undefined },
  cache: TokenCache | undefined,
  clock: Clock,
): TokenSettings {
  return {
    cache,
    clock,
    hooks: options.hooks,
    refreshAhead: options.refreshAhead ?? true,
    softWindowMs: options.softWindowMs ?? 300_000,
    hardWindowMs: options.hardWindowMs ?? 30_000,
    retryInitialMs: options.retryInitialMs ?? 1000,
    retryMaxMs: options.retryMaxMs ?? 30_000,
  };
}

/** The grant of a manager built from options: everything comes from the options object. */
const OPTIONS_GRANT: TokenGrant<TokenManagerOptions> = {
  key: (options) => options.key,
  label: (options) => options.label(),
  fetchToken: (options, context) => options.fetchToken(context),
  verify: (options, token) => options.verify?.(token),
};

/**
 * Creates the token manager behind every token-fetching credential. Windows follow Azure's token
 * cycler: in the soft window it serves the current token and refreshes in the background (errors
 * caught, retried with backoff); in the hard window or once expired, callers wait for the one
 * in-flight refresh. A failed refresh while the old token is valid keeps serving it. Both windows
 * are in proportion to the token's lifetime and widen to the trip time reported by `noteTrip`.
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const clock = options.clock ?? systemClock;
  const settings = tokenSettings(options, options.cache ?? createMemoryTokenCache({ clock }), clock);
  const state = createTokenState(options, OPTIONS_GRANT, settings);
  return {
    getToken: (signal) => getToken(state, signal === undefined ? undefined : { signal }),
    invalidate: (handle) => invalidateToken(state, handle),
    current: () => state.current,
    noteTrip: (elapsedMs) => noteTrip(state, elapsedMs),
    seed: (token, seeding) => seedToken(state, token, seeding),
  };
}
