/**
 * The token manager's engine: a small per-key state record and module-level functions that drive
 * it, so a credential pays for a few fields (allocated on its first token) instead of a set of
 * closures. The settings (cache, clock, hooks, windows) and the grant are shared objects.
 * Internal: `createTokenManager` is the public face.
 */
import { PorticoError } from "../errors/portico-error.js";
import type { Clock } from "../internal/clock.js";
import { registerSecret, safeCause } from "../internal/redact.js";
import type { CachedToken, TokenCache } from "./token-cache.js";
import type { IssuedToken, RefreshReason, TokenFetchContext, TokenHooks } from "./token-manager.js";

/** Resolved, shareable configuration of token managers: where tokens live, windows, hooks. */
export interface TokenSettings {
  /** Shared store of tokens; `undefined`: each holder's tokens are its own (its state is the store). */
  readonly cache: TokenCache | undefined;
  readonly clock: Clock;
  readonly hooks: TokenHooks | undefined;
  readonly refreshAhead: boolean;
  readonly softWindowMs: number;
  readonly hardWindowMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

/** How a manager obtains tokens for its owner; one shared object per kind of owner. */
export interface TokenGrant<Owner> {
  /** Cache key of the owner's tokens (computed when needed, not kept). */
  key(owner: Owner): string;
  /** Fingerprint of the owner, for events and messages. */
  label(owner: Owner): string;
  /** Obtains a new token. Throws a `PorticoError` on failure. */
  fetchToken(owner: Owner, context: TokenFetchContext): Promise<CachedToken>;
  /** Rejects a token before it is cached or used (e.g. tenant claim check), by throwing. */
  verify?(owner: Owner, token: CachedToken): void;
}

/** The mutable state of one manager: what it serves, its in-flight refresh, its backoff. */
export interface TokenState<Owner> {
  readonly owner: Owner;
  readonly grant: TokenGrant<Owner>;
  readonly settings: TokenSettings;
  current: CachedToken | undefined;
  generation: number;
  pending: Promise<CachedToken> | undefined;
  invalidating: Promise<boolean> | undefined;
  invalidatedToken: string | undefined;
  failures: number;
  nextAttemptAt: number;
}

type Refreshed = { token: CachedToken; fromCache: boolean };

export function createTokenState<Owner>(owner: Owner, grant: TokenGrant<Owner>, settings: TokenSettings): TokenState<Owner> {
  return {
    owner,
    grant,
    settings,
    current: undefined,
    generation: 0,
    pending: undefined,
    invalidating: undefined,
    invalidatedToken: undefined,
    failures: 0,
    nextAttemptAt: 0,
  };
}

/** One network refresh per (cache, key) across every manager sharing the cache. */
const inflightByCache = new WeakMap<TokenCache, Map<string, Promise<Refreshed>>>();
/** The same for holders without a cache: one refresh per state. */
const inflightByState = new WeakMap<object, Promise<Refreshed>>();

function inflightFor(cache: TokenCache): Map<string, Promise<Refreshed>> {
  let map = inflightByCache.get(cache);
  if (map === undefined) {
    map = new Map();
    inflightByCache.set(cache, map);
  }
  return map;
}

const lifetime = (t: CachedToken): number => Math.max(0, t.expiresAt - t.obtainedAt);
const softStart = (s: TokenSettings, t: CachedToken): number => t.expiresAt - (s.refreshAhead ? Math.min(s.softWindowMs, lifetime(t) / 2) : 0);
const hardStart = (s: TokenSettings, t: CachedToken): number => t.expiresAt - Math.min(s.hardWindowMs, lifetime(t) * 0.1);
/** Still safe to send (a small margin for the trip to the server). */
const usable = (t: CachedToken, now: number): boolean => now < t.expiresAt - Math.min(1000, lifetime(t) * 0.02);
const fresh = (s: TokenSettings, t: CachedToken, now: number): boolean => now < Math.min(softStart(s, t), hardStart(s, t));

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

function emit<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (hook === undefined) return;
  try {
    hook(event);
  } catch {
    // Hooks never break the token flow.
  }
}

function adopt<O>(state: TokenState<O>, token: CachedToken, reason: RefreshReason, fromCache: boolean): void {
  if (state.current !== undefined && state.current.accessToken === token.accessToken) return;
  registerSecret(token.accessToken);
  registerSecret(token.refreshToken);
  state.current = token;
  state.generation += 1;
  emit(state.settings.hooks?.onTokenRefresh, {
    credential: state.grant.label(state.owner),
    reason,
    fromCache,
    expiresAt: token.expiresAt,
    lifetimeMs: lifetime(token),
    ...(token.scopes ? { scopes: token.scopes } : {}),
    ...(token.tenant !== undefined ? { tenant: token.tenant } : {}),
  });
}

/** Registers `promise` as the refresh in flight for `key` until it settles, so callers share it. */
function shareWhileInFlight<K extends object | string>(
  inflight: { get(key: K): Promise<Refreshed> | undefined; set(key: K, value: Promise<Refreshed>): unknown; delete(key: K): unknown },
  key: K,
  promise: Promise<Refreshed>,
): Promise<Refreshed> {
  inflight.set(key, promise);
  const clear = (): void => {
    if (inflight.get(key) === promise) inflight.delete(key);
  };
  promise.then(clear, clear);
  return promise;
}

/** The cache entry as stored (possibly expired or rejected); a failing cache reads as empty. */
async function readRaw(cache: TokenCache, key: string): Promise<CachedToken | undefined> {
  try {
    return await cache.get(key);
  } catch {
    return undefined;
  }
}

/** A refresh for a holder without a cache: fetched, checked, kept in its state only. */
function ownRefresh<O>(state: TokenState<O>, reason: RefreshReason, previous: CachedToken | undefined): Promise<Refreshed> {
  const existing = inflightByState.get(state);
  if (existing !== undefined) return existing;
  const promise = (async (): Promise<Refreshed> => {
    const token = await state.grant.fetchToken(state.owner, { reason, previous, stored: undefined });
    state.grant.verify?.(state.owner, token);
    return { token, fromCache: false };
  })();
  return shareWhileInFlight(inflightByState, state, promise);
}

function sharedRefresh<O>(state: TokenState<O>, reason: RefreshReason, previous: CachedToken | undefined): Promise<Refreshed> {
  const { cache, clock } = state.settings;
  if (cache === undefined) return ownRefresh(state, reason, previous);
  const key = state.grant.key(state.owner);
  const inflight = inflightFor(cache);
  const existing = inflight.get(key);
  if (existing !== undefined) return existing;
  const run = async (): Promise<Refreshed> => {
    const raw = await readRaw(cache, key);
    const stored = raw !== undefined && raw.accessToken !== state.invalidatedToken ? raw : undefined;
    if (stored !== undefined && stored.accessToken !== previous?.accessToken && fresh(state.settings, stored, clock.now())) {
      state.grant.verify?.(state.owner, stored);
      return { token: stored, fromCache: true };
    }
    const token = await state.grant.fetchToken(state.owner, { reason, previous, stored: raw });
    state.grant.verify?.(state.owner, token);
    try {
      await cache.set(key, token);
    } catch {
      // A cache that cannot store still lets this process use the token.
    }
    return { token, fromCache: false };
  };
  const promise = cache.withRefreshLock ? cache.withRefreshLock(key, run) : run();
  return shareWhileInFlight(inflight, key, promise);
}

function refresh<O>(state: TokenState<O>, reason: RefreshReason, previous: CachedToken | undefined): Promise<CachedToken> {
  const { settings } = state;
  const mine = sharedRefresh(state, reason, previous).then(
    ({ token, fromCache }) => {
      state.failures = 0;
      state.nextAttemptAt = 0;
      adopt(state, token, reason, fromCache);
      return token;
    },
    (error: unknown) => {
      const label = state.grant.label(state.owner);
      const failure = toPorticoError(error, label);
      state.failures += 1;
      const backoff = Math.min(settings.retryMaxMs, settings.retryInitialMs * 2 ** (state.failures - 1)) * (0.5 + Math.random() / 2);
      state.nextAttemptAt = settings.clock.now() + backoff;
      const serving = state.current;
      emit(settings.hooks?.onTokenError, {
        credential: label,
        error: failure,
        reason,
        background: reason === "refresh-ahead",
        servingPrevious: serving !== undefined && usable(serving, settings.clock.now()),
        retryAt: state.nextAttemptAt,
      });
      throw failure;
    },
  );
  state.pending = mine;
  const clear = (): void => {
    if (state.pending === mine) state.pending = undefined;
  };
  mine.then(clear, clear);
  return mine;
}

function issue<O>(state: TokenState<O>, token: CachedToken): IssuedToken {
  return { token, handle: state.current === token ? state.generation : -1 };
}

/**
 * The token to send now. Windows follow Azure's token cycler: in the soft window it serves the
 * current token and refreshes in the background (errors caught, retried with backoff); in the
 * hard window or once expired, callers wait for the one in-flight refresh. A failed refresh while
 * the old token is valid keeps serving it.
 */
export async function getToken<O>(state: TokenState<O>, signal?: AbortSignal): Promise<IssuedToken> {
  const { clock, cache } = state.settings;
  let token = state.current;
  if (token === undefined && cache !== undefined) {
    if (state.pending !== undefined) return issue(state, await abortable(state.pending, signal));
    const raw = await readRaw(cache, state.grant.key(state.owner));
    const stored = raw !== undefined && raw.accessToken !== state.invalidatedToken ? raw : undefined;
    // An expired entry (kept for its refresh token) is not adopted: the refresh below reads it.
    if (stored !== undefined && state.current === undefined && usable(stored, clock.now())) {
      // A shared cache may hold what another holder stored: checked like a fetched token.
      state.grant.verify?.(state.owner, stored);
      adopt(state, stored, "initial", true);
    }
    token = state.current;
  }
  const now = clock.now();
  if (token === undefined || !usable(token, now)) {
    const waitFor = state.pending ?? refresh(state, token === undefined ? "initial" : "expired", token);
    return issue(state, await abortable(waitFor, signal));
  }
  const settings = state.settings;
  if (now < softStart(settings, token) && now < hardStart(settings, token)) return issue(state, token);
  if (now < hardStart(settings, token)) {
    if (state.pending === undefined && now >= state.nextAttemptAt) {
      refresh(state, "refresh-ahead", token).catch(() => {
        // Reported through onTokenError; the current token is still served.
      });
    }
    return issue(state, token);
  }
  // Hard window: wait for the refresh, unless one failed recently and the token still works.
  const waitFor = state.pending ?? (now >= state.nextAttemptAt ? refresh(state, "expiring", token) : undefined);
  if (waitFor === undefined) return issue(state, token);
  try {
    return issue(state, await abortable(waitFor, signal));
  } catch (error) {
    const serving = state.current;
    if (error instanceof PorticoError && error.code !== "ABORTED" && serving !== undefined && usable(serving, clock.now())) {
      return issue(state, serving);
    }
    throw error;
  }
}

/** Drops the token behind `handle` and refreshes once; true when a fresh token is ready. */
export async function invalidateToken<O>(state: TokenState<O>, handle: unknown): Promise<boolean> {
  if (typeof handle !== "number" || handle < 0) return false;
  if (handle !== state.generation) return state.current !== undefined && usable(state.current, state.settings.clock.now());
  if (state.invalidating !== undefined) return state.invalidating;
  const bad = state.current;
  state.invalidatedToken = bad?.accessToken;
  const attempt = refresh(state, "invalidated", bad);
  state.current = undefined;
  const { cache } = state.settings;
  const invalidating = (async () => {
    if (cache !== undefined) {
      try {
        const key = state.grant.key(state.owner);
        const stored = await cache.get(key);
        if (stored !== undefined && stored.accessToken === bad?.accessToken) await cache.delete(key);
      } catch {
        // Best effort: the refreshed token overwrites it anyway.
      }
    }
    try {
      await attempt;
      return true;
    } catch {
      return false;
    } finally {
      state.invalidating = undefined;
    }
  })();
  state.invalidating = invalidating;
  return invalidating;
}

/** Adopts a token obtained elsewhere and stores it (with `ifAbsent`, only into an empty entry). */
export async function seedToken<O>(state: TokenState<O>, token: CachedToken, seeding?: { readonly ifAbsent?: boolean }): Promise<void> {
  state.grant.verify?.(state.owner, token);
  adopt(state, token, "initial", false);
  const { cache } = state.settings;
  if (cache === undefined) return;
  const key = state.grant.key(state.owner);
  try {
    if (seeding?.ifAbsent === true && (await readRaw(cache, key)) !== undefined) return;
    await cache.set(key, token);
  } catch {
    // Kept in this process.
  }
}
