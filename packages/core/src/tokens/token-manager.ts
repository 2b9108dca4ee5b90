import { PorticoError } from "../errors/portico-error.js";
import { systemClock, type Clock } from "../internal/clock.js";
import { registerSecret, safeCause } from "../internal/redact.js";
import { createMemoryTokenCache } from "./memory-token-cache.js";
import type { CachedToken, TokenCache } from "./token-cache.js";

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
  /** Largest soft window: serve the token, refresh in the background. Also capped at half the lifetime. @default 300000 */
  readonly softWindowMs?: number;
  /** Largest hard window: callers wait for the refresh. Also capped at 10% of the lifetime. @default 30000 */
  readonly hardWindowMs?: number;
  /** First backoff after a failed refresh; doubles per failure, with jitter. @default 1000 */
  readonly retryInitialMs?: number;
  /** @default 30000 */
  readonly retryMaxMs?: number;
}

export interface TokenManagerOptions extends RefreshWindowOptions {
  /** Cache key: everything that shapes the token request (see `tokenCacheKey`). */
  readonly key: string;
  /** Obtains a new token (the grant). Throws a `PorticoError` on failure. */
  readonly fetchToken: (context: { readonly reason: RefreshReason; readonly previous: CachedToken | undefined }) => Promise<CachedToken>;
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
  /** Adopts a token obtained elsewhere (e.g. an authorization code exchange). */
  seed(token: CachedToken): Promise<void>;
}

/** One network refresh per (cache, key) across every manager sharing the cache. */
const inflightByCache = new WeakMap<TokenCache, Map<string, Promise<{ token: CachedToken; fromCache: boolean }>>>();

function inflightFor(cache: TokenCache): Map<string, Promise<{ token: CachedToken; fromCache: boolean }>> {
  let map = inflightByCache.get(cache);
  if (map === undefined) {
    map = new Map();
    inflightByCache.set(cache, map);
  }
  return map;
}

function toPorticoError(error: unknown, label: string): PorticoError {
  if (error instanceof PorticoError) return error;
  return new PorticoError("TOKEN_REFRESH_FAILED", `Obtaining a token for credential ${label} failed.`, { credential: label, cause: safeCause(error) });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  const aborted = (): PorticoError => new PorticoError("ABORTED", "The call was aborted while waiting for a token.");
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Creates the token manager behind every token-fetching credential. Windows follow Azure's token
 * cycler: in the soft window it serves the current token and refreshes in the background (errors
 * caught, retried with backoff); in the hard window or once expired, callers wait for the one
 * in-flight refresh. A failed refresh while the old token is valid keeps serving it.
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const clock = options.clock ?? systemClock;
  const cache = options.cache ?? createMemoryTokenCache({ clock });
  const { key, hooks, label } = options;
  const refreshAhead = options.refreshAhead ?? true;
  const softMax = options.softWindowMs ?? 300_000;
  const hardMax = options.hardWindowMs ?? 30_000;
  const retryInitial = options.retryInitialMs ?? 1000;
  const retryMax = options.retryMaxMs ?? 30_000;

  let current: CachedToken | undefined;
  let generation = 0;
  let pending: Promise<CachedToken> | undefined;
  let invalidating: Promise<boolean> | undefined;
  let invalidatedToken: string | undefined;
  let failures = 0;
  let nextAttemptAt = 0;

  const lifetime = (t: CachedToken): number => Math.max(0, t.expiresAt - t.obtainedAt);
  const softStart = (t: CachedToken): number => t.expiresAt - (refreshAhead ? Math.min(softMax, lifetime(t) / 2) : 0);
  const hardStart = (t: CachedToken): number => t.expiresAt - Math.min(hardMax, lifetime(t) * 0.1);
  /** Still safe to send (a small margin for the trip to the server). */
  const usable = (t: CachedToken, now: number): boolean => now < t.expiresAt - Math.min(1000, lifetime(t) * 0.02);
  const fresh = (t: CachedToken, now: number): boolean => now < Math.min(softStart(t), hardStart(t));

  function emit<E>(hook: ((event: E) => void) | undefined, event: E): void {
    if (hook === undefined) return;
    try {
      hook(event);
    } catch {
      // Hooks never break the token flow.
    }
  }

  function adopt(token: CachedToken, reason: RefreshReason, fromCache: boolean): void {
    if (current !== undefined && current.accessToken === token.accessToken) return;
    registerSecret(token.accessToken);
    registerSecret(token.refreshToken);
    current = token;
    generation += 1;
    emit(hooks?.onTokenRefresh, {
      credential: label(),
      reason,
      fromCache,
      expiresAt: token.expiresAt,
      lifetimeMs: lifetime(token),
      ...(token.scopes ? { scopes: token.scopes } : {}),
      ...(token.tenant !== undefined ? { tenant: token.tenant } : {}),
    });
  }

  async function readCache(): Promise<CachedToken | undefined> {
    try {
      const stored = await cache.get(key);
      return stored !== undefined && stored.accessToken !== invalidatedToken ? stored : undefined;
    } catch {
      return undefined;
    }
  }

  function sharedRefresh(reason: RefreshReason, previous: CachedToken | undefined): Promise<{ token: CachedToken; fromCache: boolean }> {
    const inflight = inflightFor(cache);
    const existing = inflight.get(key);
    if (existing !== undefined) return existing;
    const run = async (): Promise<{ token: CachedToken; fromCache: boolean }> => {
      const stored = await readCache();
      if (stored !== undefined && stored.accessToken !== previous?.accessToken && fresh(stored, clock.now())) {
        options.verify?.(stored);
        return { token: stored, fromCache: true };
      }
      const token = await options.fetchToken({ reason, previous });
      options.verify?.(token);
      try {
        await cache.set(key, token);
      } catch {
        // A cache that cannot store still lets this process use the token.
      }
      return { token, fromCache: false };
    };
    const promise = cache.withRefreshLock ? cache.withRefreshLock(key, run) : run();
    inflight.set(key, promise);
    const clear = (): void => {
      if (inflight.get(key) === promise) inflight.delete(key);
    };
    promise.then(clear, clear);
    return promise;
  }

  function refresh(reason: RefreshReason, previous: CachedToken | undefined): Promise<CachedToken> {
    const mine = sharedRefresh(reason, previous).then(
      ({ token, fromCache }) => {
        failures = 0;
        nextAttemptAt = 0;
        adopt(token, reason, fromCache);
        return token;
      },
      (error: unknown) => {
        const failure = toPorticoError(error, label());
        failures += 1;
        const backoff = Math.min(retryMax, retryInitial * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
        nextAttemptAt = clock.now() + backoff;
        const serving = current;
        emit(hooks?.onTokenError, {
          credential: label(),
          error: failure,
          reason,
          background: reason === "refresh-ahead",
          servingPrevious: serving !== undefined && usable(serving, clock.now()),
          retryAt: nextAttemptAt,
        });
        throw failure;
      },
    );
    pending = mine;
    const clear = (): void => {
      if (pending === mine) pending = undefined;
    };
    mine.then(clear, clear);
    return mine;
  }

  function issue(token: CachedToken): IssuedToken {
    return { token, handle: current === token ? generation : -1 };
  }

  async function getToken(signal?: AbortSignal): Promise<IssuedToken> {
    let token = current;
    if (token === undefined) {
      if (pending !== undefined) return issue(await abortable(pending, signal));
      const stored = await readCache();
      if (stored !== undefined && current === undefined) adopt(stored, "initial", true);
      token = current;
    }
    const now = clock.now();
    if (token === undefined || !usable(token, now)) {
      const waitFor = pending ?? refresh(token === undefined ? "initial" : "expired", token);
      return issue(await abortable(waitFor, signal));
    }
    if (now < softStart(token) && now < hardStart(token)) return issue(token);
    if (now < hardStart(token)) {
      if (pending === undefined && now >= nextAttemptAt) {
        refresh("refresh-ahead", token).catch(() => {
          // Reported through onTokenError; the current token is still served.
        });
      }
      return issue(token);
    }
    // Hard window: wait for the refresh, unless one failed recently and the token still works.
    const waitFor = pending ?? (now >= nextAttemptAt ? refresh("expiring", token) : undefined);
    if (waitFor === undefined) return issue(token);
    try {
      return issue(await abortable(waitFor, signal));
    } catch (error) {
      const serving = current;
      if (error instanceof PorticoError && error.code !== "ABORTED" && serving !== undefined && usable(serving, clock.now())) {
        return issue(serving);
      }
      throw error;
    }
  }

  async function invalidate(handle: unknown): Promise<boolean> {
    if (typeof handle !== "number" || handle < 0) return false;
    if (handle !== generation) return current !== undefined && usable(current, clock.now());
    if (invalidating !== undefined) return invalidating;
    const bad = current;
    invalidatedToken = bad?.accessToken;
    const attempt = refresh("invalidated", bad);
    current = undefined;
    invalidating = (async () => {
      try {
        const stored = await cache.get(key);
        if (stored !== undefined && stored.accessToken === bad?.accessToken) await cache.delete(key);
      } catch {
        // Best effort: the refreshed token overwrites it anyway.
      }
      try {
        await attempt;
        return true;
      } catch {
        return false;
      } finally {
        invalidating = undefined;
      }
    })();
    return invalidating;
  }

  async function seed(token: CachedToken): Promise<void> {
    options.verify?.(token);
    adopt(token, "initial", false);
    try {
      await cache.set(key, token);
    } catch {
      // Kept in this process.
    }
  }

  return { getToken, invalidate, current: () => current, seed };
}
