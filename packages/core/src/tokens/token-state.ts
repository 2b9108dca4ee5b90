/**
 * The token manager's engine: a small per-key state record and module-level functions that drive
 * it, so a credential pays for a few fields (allocated on its first token) instead of a set of
 * closures. The settings (cache, clock, hooks, windows) and the grant are shared objects.
 * Internal: `createTokenManager` is the public face.
 */
import { PorticoError } from "../errors/portico-error.js";
import type { Clock } from "../internal/clock.js";
import type { AttemptWatch, TokenRequestWatch } from "../observe/observer.js";
import { redact, safeCause } from "../internal/redact.js";
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
  /** The token request `pending` waits on (shared with every holder of the same cache key). */
  flight: Flight | undefined;
  invalidating: Promise<boolean> | undefined;
  invalidatedToken: string | undefined;
  failures: number;
  nextAttemptAt: number;
  /**
   * How long this state's tokens take from being handed out to the API's answer, in whole ms: a
   * slow estimate (see `noteTrip`). A token with less life left than this is not handed out.
   */
  tripMs: number;
}

type Refreshed = { token: CachedToken; fromCache: boolean };

/**
 * One token request in flight, shared by every caller that waits for it. It is aborted (its
 * socket closed) when the last caller waiting with a signal leaves, unless it is pinned: a
 * background refresh-ahead (it keeps its own timeout), or a wait that cannot be cancelled.
 */
export interface Flight {
  readonly promise: Promise<Refreshed>;
  readonly controller: AbortController;
  /** Callers waiting with a signal that may still abort. */
  waiters: number;
  /** Never aborted for lack of waiters. */
  pinned: boolean;
  /** Every waiter left and the request was aborted: nobody joins it any more. */
  abandoned: boolean;
  settled: boolean;
  /** The observers' watch of this request, made by the attempt that started it. */
  watch?: TokenRequestWatch | undefined;
}

/** A caller of `getToken`: its signal, and the attempt's watch (token request spans and log lines). */
export interface TokenWaiter {
  readonly signal?: AbortSignal | undefined;
  readonly watch?: AttemptWatch | undefined;
}

/** Flights some caller has already seen start: the next `refresh` of the same flight only joins it. */
const announced = new WeakSet<Flight>();

export function createTokenState<Owner>(owner: Owner, grant: TokenGrant<Owner>, settings: TokenSettings): TokenState<Owner> {
  return {
    owner,
    grant,
    settings,
    current: undefined,
    generation: 0,
    pending: undefined,
    flight: undefined,
    invalidating: undefined,
    invalidatedToken: undefined,
    failures: 0,
    nextAttemptAt: 0,
    tripMs: 0,
  };
}

/** One network refresh per (cache, key) across every manager sharing the cache. */
const inflightByCache = new WeakMap<TokenCache, Map<string, Flight>>();
/** The same for holders without a cache: one refresh per state. */
const inflightByState = new WeakMap<object, Flight>();

function inflightFor(cache: TokenCache): Map<string, Flight> {
  let map = inflightByCache.get(cache);
  if (map === undefined) {
    map = new Map();
    inflightByCache.set(cache, map);
  }
  return map;
}

const lifetime = (t: CachedToken): number => Math.max(0, t.expiresAt - t.obtainedAt);

/** The soft window's share of a token's lifetime: a 1 h token's 5 min. Also the most it widens to. */
const SOFT_SHARE = 1 / 12;
/** The hard window's share of a token's lifetime: a 1 h token's 30 s. */
const HARD_SHARE = 1 / 120;
/** The most the hard window widens to: half the soft window's share. */
const HARD_CAP = 1 / 24;
/** The longest trip a state learns (a day): beyond it every window is at its cap anyway. */
const MAX_TRIP_MS = 86_400_000;

/**
 * Hard window: callers wait for the refresh. The token's share (capped at `hardWindowMs`), widened
 * to the trip estimate (a token with less life than that would expire on the way), at most 1/24 of
 * the lifetime: a call that takes longer than that may find its token expired, and is replayed.
 */
function hardWindow<O>(state: TokenState<O>, t: CachedToken): number {
  const life = lifetime(t);
  return clamp(state.tripMs, Math.min(state.settings.hardWindowMs, life * HARD_SHARE), life * HARD_CAP);
}

/**
 * Soft window: the token is served and refreshed in the background. The token's share (capped at
 * `softWindowMs`), widened to twice the trip estimate (a refresh started then lands before the hard
 * window), at most 1/12 of the lifetime, so tokens are requested about once per lifetime however
 * slow attempts get; never shorter than the hard window.
 */
function softWindow<O>(state: TokenState<O>, t: CachedToken, hard: number): number {
  if (!state.settings.refreshAhead) return hard;
  const life = lifetime(t);
  return Math.max(hard, clamp(2 * state.tripMs, Math.min(state.settings.softWindowMs, life * SOFT_SHARE), life * SOFT_SHARE));
}

/** `value` moved into `[low, high]` (`low` ≤ `high`). */
const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), high);

const softStart = <O>(state: TokenState<O>, t: CachedToken): number => t.expiresAt - softWindow(state, t, hardWindow(state, t));
/** Still safe to send (a small margin for the trip to the server). */
const usable = (t: CachedToken, now: number): boolean => now < t.expiresAt - Math.min(1000, lifetime(t) * 0.02);
/** Before both windows (the soft one starts no later than the hard one). */
const fresh = <O>(state: TokenState<O>, t: CachedToken, now: number): boolean => now < softStart(state, t);

/** How far one quicker attempt pulls the trip estimate down: 1/32 of the difference. */
const TRIP_DECAY = 32;

/**
 * Learns from one attempt how long a token takes from being handed out to the API's answer (the
 * server's own time included, so it errs long): a larger sample is taken at once, a smaller one
 * pulls the estimate down by 1/32 of the gap (a busy client's estimate stays near its slowest
 * recent attempts). One small integer per state.
 */
export function noteTrip<O>(state: TokenState<O>, elapsedMs: number): void {
  if (!(elapsedMs >= 0)) return; // NaN, negative (a clock set back)
  const sample = Math.min(MAX_TRIP_MS, Math.ceil(elapsedMs));
  const trip = state.tripMs;
  state.tripMs = sample >= trip ? sample : Math.floor((trip * (TRIP_DECAY - 1) + sample) / TRIP_DECAY);
}

/**
 * Why an attempt whose token was refused may have carried an expired one: it took longer than the
 * least life a token is handed out with (1/24 of its lifetime, the hard window's cap). Undefined
 * when it did not.
 */
export function tripOutlasted<O>(state: TokenState<O>, elapsedMs: number): string | undefined {
  const token = state.current;
  if (token === undefined) return undefined;
  const life = lifetime(token);
  if (!(elapsedMs >= life * HARD_CAP)) return undefined;
  return (
    `The attempt took ${Math.round(elapsedMs)} ms from taking its token to the answer, and the tokens of credential ${state.grant.label(state.owner)} live ${Math.round(life)} ms ` +
    `(a token is handed out until 1/24 of its lifetime is left, so that one is requested about once per lifetime): it can expire on the way, even right after a refresh. Ask the identity provider for longer-lived tokens, or give the client the maxConcurrency option so that calls wait for a slot before they take a token.`
  );
}

function toPorticoError(error: unknown, label: string, held: CachedToken | undefined): PorticoError {
  if (error instanceof PorticoError) return error;
  // A grant's own error may name the token (or refresh token) it replaces.
  const secrets = [held?.accessToken, held?.refreshToken].filter((s): s is string => s !== undefined);
  return new PorticoError("TOKEN_REFRESH_FAILED", `Obtaining a token for credential ${label} failed.`, { credential: label, cause: safeCause(error, (text) => redact(text, secrets)) });
}

const callerAborted = (): PorticoError => new PorticoError("ABORTED", "The call was aborted while waiting for a token.");

/**
 * Waits for `promise` (the refresh on `flight`) until `signal` aborts. The caller counts as a
 * waiter of the flight: when the last one leaves, the token request is aborted. A caller without
 * a signal waits for the end, so the flight is pinned.
 */
function abortable<T>(promise: Promise<T>, flight: Flight | undefined, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) {
    if (flight !== undefined) flight.pinned = true;
    return promise;
  }
  if (signal.aborted) return Promise.reject(callerAborted());
  if (flight !== undefined) flight.waiters += 1;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(callerAborted());
      if (flight !== undefined) leave(flight, signal.reason);
    };
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

/** A waiter left: the last one abandons the flight (aborting its request) unless it is pinned. */
function leave(flight: Flight, reason: unknown): void {
  flight.waiters -= 1;
  if (flight.waiters > 0 || flight.pinned || flight.settled || flight.abandoned) return;
  flight.abandoned = true;
  flight.controller.abort(reason);
}

/** The refresh a state may join: not one every caller has abandoned. */
function pendingOf<O>(state: TokenState<O>): Promise<CachedToken> | undefined {
  return state.flight?.abandoned === true ? undefined : state.pending;
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
  if (state.current !== undefined && state.current.accessToken === token.accessToken) {
    // The same token again, said to live longer: keep it (same generation), with its new expiry.
    if (token.expiresAt > state.current.expiresAt) state.current = token;
    return;
  }
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

/**
 * Starts a token request as a flight registered for `key` until it settles (or is abandoned), so
 * callers share it. `run` gets the flight's signal, aborted when every waiter has gone.
 */
function startFlight<K extends object | string>(
  inflight: { get(key: K): Flight | undefined; set(key: K, value: Flight): unknown; delete(key: K): unknown },
  key: K,
  run: (signal: AbortSignal) => Promise<Refreshed>,
): Flight {
  const controller = new AbortController();
  const promise = run(controller.signal);
  const flight: Flight = { promise, controller, waiters: 0, pinned: false, abandoned: false, settled: false };
  inflight.set(key, flight);
  const clear = (): void => {
    flight.settled = true;
    if (inflight.get(key) === flight) inflight.delete(key);
  };
  promise.then(clear, clear);
  // An abandoned flight is left at once: the next caller starts a new request.
  controller.signal.addEventListener("abort", () => {
    if (inflight.get(key) === flight) inflight.delete(key);
  }, { once: true });
  return flight;
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
function ownRefresh<O>(state: TokenState<O>, reason: RefreshReason, previous: CachedToken | undefined): Flight {
  const existing = inflightByState.get(state);
  if (existing !== undefined) return existing;
  return startFlight(inflightByState, state, async (signal): Promise<Refreshed> => {
    const token = await state.grant.fetchToken(state.owner, { reason, previous, stored: undefined, signal });
    state.grant.verify?.(state.owner, token);
    return { token, fromCache: false };
  });
}

function sharedRefresh<O>(state: TokenState<O>, reason: RefreshReason, previous: CachedToken | undefined): Flight {
  const { cache, clock } = state.settings;
  if (cache === undefined) return ownRefresh(state, reason, previous);
  const key = state.grant.key(state.owner);
  const inflight = inflightFor(cache);
  const existing = inflight.get(key);
  if (existing !== undefined) return existing;
  return startFlight(inflight, key, (signal) => {
    const run = async (): Promise<Refreshed> => {
      const raw = await readRaw(cache, key);
      const stored = raw !== undefined && raw.accessToken !== state.invalidatedToken ? raw : undefined;
      if (stored !== undefined && stored.accessToken !== previous?.accessToken && fresh(state, stored, clock.now())) {
        state.grant.verify?.(state.owner, stored);
        return { token: stored, fromCache: true };
      }
      // Every waiter left while the lock was awaited: no request for nobody.
      if (signal.aborted) throw abandonedError();
      const token = await state.grant.fetchToken(state.owner, { reason, previous, stored: raw, signal });
      state.grant.verify?.(state.owner, token);
      try {
        await cache.set(key, token);
      } catch {
        // A cache that cannot store still lets this process use the token.
      }
      return { token, fromCache: false };
    };
    return cache.withRefreshLock ? cache.withRefreshLock(key, run) : run();
  });
}

function abandonedError(): PorticoError {
  return new PorticoError("ABORTED", "The token request was abandoned: every call waiting for it was aborted.");
}

/** Tells the watch how the flight settled (its token's expiry, or the error; never the token). */
function watchFlight(flight: Flight, watch: TokenRequestWatch): void {
  flight.watch = watch;
  flight.promise.then(
    ({ token, fromCache }) => watch.end({ expiresAt: token.expiresAt, fromCache }),
    (error: unknown) => watch.end(error instanceof PorticoError ? { error } : {}),
  );
}

/**
 * Starts (or joins) the refresh of `state` and makes it the state's pending one. `pinned`: nobody
 * may cancel it (a background refresh-ahead, an invalidation the call waits for).
 */
function refresh<O>(state: TokenState<O>, reason: RefreshReason, previous: CachedToken | undefined, pinned = false, watch?: AttemptWatch): Promise<CachedToken> {
  const { settings } = state;
  const flight = sharedRefresh(state, reason, previous);
  if (pinned) flight.pinned = true;
  if (!announced.has(flight)) {
    announced.add(flight);
    if (watch?.tokenRequest !== undefined) watchFlight(flight, watch.tokenRequest({ credential: state.grant.label(state.owner), reason }));
  } else if (flight.watch !== undefined) watch?.joinedTokenRequest?.(flight.watch);
  const mine = flight.promise.then(
    ({ token, fromCache }) => {
      state.failures = 0;
      // The same token again (an identity provider serving its cached token): still in the refresh
      // window, so wait a backoff step before asking again instead of asking on every call.
      const same = state.current !== undefined && state.current.accessToken === token.accessToken && token.expiresAt <= state.current.expiresAt;
      state.nextAttemptAt = same ? settings.clock.now() + settings.retryInitialMs : 0;
      adopt(state, token, reason, fromCache);
      return token;
    },
    (error: unknown) => {
      // Abandoned by every caller: not a failure of the endpoint (no backoff, no event).
      if (flight.abandoned) throw abandonedError();
      const label = state.grant.label(state.owner);
      const failure = toPorticoError(error, label, state.current ?? previous);
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
  state.flight = flight;
  const clear = (): void => {
    if (state.pending === mine) {
      state.pending = undefined;
      state.flight = undefined;
    }
  };
  mine.then(clear, clear);
  return mine;
}

/** Waits for the state's pending refresh (or `started`), as one waiter of its flight. */
function join<O>(state: TokenState<O>, started: Promise<CachedToken>, signal: AbortSignal | undefined): Promise<CachedToken> {
  return abortable(started, state.pending === started ? state.flight : undefined, signal);
}

/** Waits for a refresh another caller started, telling the waiter's watch which one. */
function joinPending<O>(state: TokenState<O>, pending: Promise<CachedToken>, waiter: TokenWaiter | undefined): Promise<CachedToken> {
  const watch = state.flight?.watch;
  if (watch !== undefined) waiter?.watch?.joinedTokenRequest?.(watch);
  return join(state, pending, waiter?.signal);
}

function issue<O>(state: TokenState<O>, token: CachedToken): IssuedToken {
  return { token, handle: state.current === token ? state.generation : -1 };
}

/**
 * The token to send now. Windows follow Azure's token cycler: in the soft window it serves the
 * current token and refreshes in the background (errors caught, retried with backoff); in the
 * hard window or once expired, callers wait for the one in-flight refresh. A failed refresh while
 * the old token is valid keeps serving it. The windows are shares of the token's lifetime (a 1 h
 * token's 5 min and 30 s), widened to the learnt trip time (`noteTrip`), at most 1/12 and 1/24 of the
 * lifetime.
 */
export async function getToken<O>(state: TokenState<O>, waiter?: TokenWaiter): Promise<IssuedToken> {
  // The waiter's signal is read only when the caller has to wait (a request's signal is made
  // when first read, and a cached token needs none).
  const { clock, cache } = state.settings;
  let token = state.current;
  if (token === undefined && cache !== undefined) {
    const pending = pendingOf(state);
    if (pending !== undefined) return issue(state, await joinPending(state, pending, waiter));
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
    const pending = pendingOf(state);
    if (pending !== undefined) return issue(state, await joinPending(state, pending, waiter));
    return issue(state, await join(state, refresh(state, token === undefined ? "initial" : "expired", token, false, waiter?.watch), waiter?.signal));
  }
  const hard = hardWindow(state, token);
  if (now < token.expiresAt - softWindow(state, token, hard)) return issue(state, token);
  if (now < token.expiresAt - hard) {
    if (pendingOf(state) === undefined && now >= state.nextAttemptAt) {
      refresh(state, "refresh-ahead", token, true, waiter?.watch).catch(() => {
        // Reported through onTokenError; the current token is still served.
      });
    }
    return issue(state, token);
  }
  // Hard window: wait for the refresh, unless one failed recently and the token still works.
  const pending = pendingOf(state);
  const waitFor = pending ?? (now >= state.nextAttemptAt ? refresh(state, "expiring", token, false, waiter?.watch) : undefined);
  if (waitFor === undefined) return issue(state, token);
  try {
    return issue(state, await (pending !== undefined ? joinPending(state, pending, waiter) : join(state, waitFor, waiter?.signal)));
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
  // The call that saw the 401 waits for this one without a signal: it is not cancelled.
  const attempt = refresh(state, "invalidated", bad, true);
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
