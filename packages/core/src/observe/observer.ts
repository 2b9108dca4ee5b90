/**
 * What the call path tells whoever watches it: the logger (`logger`/`logLevel`) and tracers
 * (`telemetry`, e.g. `openTelemetry()` from `@portico/core/opentelemetry`). A client without
 * either has no observer, and the call path skips every notification with one `undefined` check.
 *
 * The order of one call: `startCall` → per attempt `startAttempt` (→ `tokenRequest` or
 * `joinedTokenRequest` while authorizing) → `AttemptWatch.end` → `CallWatch.paced` before an attempt
 * that waited for a rate-limit or credit budget → `CallWatch.end`. Observers never throw into
 * the call: the client catches and drops what they throw.
 */
import type { PorticoError } from "../errors/portico-error.js";
import type { HeaderView } from "../internal/header-view.js";
import type { CreditsInfo, RateLimitInfo, ResponseMeta } from "../client/types.js";

/** Watches the calls of one client. */
export interface CallObserver {
  startCall(call: CallStart): CallWatch;
}

/** A logical call, as it starts. */
export interface CallStart {
  /** API name from the spec (`info.title`-derived, e.g. `"IMS"`). */
  readonly api: string;
  /** `"METHOD /path/template"`. */
  readonly operation: string;
  readonly method: string;
  /** Absolute URL, without credential query parameters; query values are the caller's (mask them). */
  readonly url: string;
  readonly idempotencyKey?: string;
  /** The encoded request body, when there is one (print it through an allow-list, never as is). */
  readonly body?: string | Uint8Array;
  /** The client's redactor: masks the secrets its credentials hold in any text an observer keeps. */
  readonly redact: (text: string) => string;
}

/** One logical call in progress. */
export interface CallWatch {
  /**
   * Attempt `attempt` (1-based) is about to be sent. `headers` are the request's headers before
   * credentials are added (lower-case names); the watch may add propagation headers (`traceparent`).
   */
  startAttempt(attempt: number, headers: Record<string, string>): AttemptWatch;
  /** The call waits `delayMs` before its next attempt because a budget is spent. */
  paced?(delayMs: number, reason: PaceReason): void;
  /** The call ended: its result's error (if any) and meta; `data` is the decoded success body. */
  end(result: CallEnd): void;
}

/** Why a call waits before sending: the rate limit is spent, or the credit budget per minute. */
export type PaceReason = "rate-limit" | "credits";

/** How a call ended. */
export interface CallEnd {
  readonly error?: PorticoError<string>;
  readonly data?: unknown;
  readonly meta: ResponseMeta;
}

/** One attempt in progress. */
export interface AttemptWatch {
  /** This attempt started a token request (it waits for it). */
  tokenRequest?(request: TokenRequestStart): TokenRequestWatch;
  /** This attempt waited for a token request another call started. */
  joinedTokenRequest?(request: TokenRequestWatch): void;
  /** The attempt ended; `retry` says the call will try again after `delayMs`. */
  end(attempt: AttemptEnd): void;
}

/** How one attempt ended. */
export interface AttemptEnd {
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** Headers of the response, when one arrived (read them through an allow-list). */
  readonly headers?: HeaderView;
  /** Why the attempt failed, when no usable response arrived (`NETWORK_ERROR`, `TIMEOUT`, ...). */
  readonly error?: PorticoError<string>;
  readonly requestId?: string;
  readonly credits?: CreditsInfo;
  readonly rateLimit?: RateLimitInfo;
  /** A retry follows after `delayMs`, from the server's `Retry-After` or the client's backoff. */
  readonly retry?: { readonly delayMs: number; readonly source: "retry-after" | "backoff" };
  /** A 401 made the credential refresh; the same request is replayed once. */
  readonly replay?: boolean;
}

/** A token request, as it starts. */
export interface TokenRequestStart {
  /** Fingerprint of the credential (never the secret). */
  readonly credential: string;
  readonly reason: "initial" | "refresh-ahead" | "expiring" | "expired" | "invalidated";
}

/** A token request in flight, shared by the calls that wait for it. */
export interface TokenRequestWatch {
  /** The request settled: a token (its expiry, and whether another holder's cache had it) or the error. */
  end(result: { readonly error?: PorticoError<string>; readonly expiresAt?: number; readonly fromCache?: boolean }): void;
}

const PARTS: unique symbol = Symbol("portico.observer.parts");

/** A token request watch made of one watch per observer. */
interface CompositeTokenWatch extends TokenRequestWatch {
  readonly [PARTS]: readonly TokenRequestWatch[];
}

/**
 * One observer made of several, each notification guarded: an observer that throws is skipped
 * for that notification, the others still run, and the call never sees the error. An observer's
 * `joinedTokenRequest` may receive watches another observer made: it ignores those that are not its own.
 */
export function combineObservers(observers: readonly CallObserver[]): CallObserver {
  return observers.length === 1 ? guarded(observers[0]!) : combined(observers);
}

/** Runs `notify`, dropping what it throws: an observer never breaks the call. */
function safely<R>(notify: () => R): R | undefined {
  try {
    return notify();
  } catch {
    return undefined;
  }
}

const NO_ATTEMPT: AttemptWatch = { end() {} };
const NO_CALL: CallWatch = { startAttempt: () => NO_ATTEMPT, end() {} };

/** One observer, each notification guarded, without the lists `combined` builds per notification. */
function guarded(observer: CallObserver): CallObserver {
  return {
    startCall(call) {
      const watch = safely(() => observer.startCall(call)) ?? NO_CALL;
      return {
        startAttempt(attempt, headers) {
          const inner = safely(() => watch.startAttempt(attempt, headers)) ?? NO_ATTEMPT;
          return {
            tokenRequest: (request) => safely(() => inner.tokenRequest?.(request)) ?? { end() {} },
            joinedTokenRequest: (request) => void safely(() => inner.joinedTokenRequest?.(request)),
            end: (result) => void safely(() => inner.end(result)),
          };
        },
        paced: (delayMs, reason) => void safely(() => watch.paced?.(delayMs, reason)),
        end: (result) => void safely(() => watch.end(result)),
      };
    },
  };
}

function combined(observers: readonly CallObserver[]): CallObserver {
  const each = <T, R>(items: readonly T[], run: (item: T) => R): (R | undefined)[] => items.map((item) => safely(() => run(item)));
  return {
    startCall(call) {
      const watches = each(observers, (observer) => observer.startCall(call) ?? NO_CALL).map((w) => w ?? NO_CALL);
      return {
        startAttempt(attempt, headers) {
          const attempts = each(watches, (watch) => watch.startAttempt(attempt, headers) ?? NO_ATTEMPT).map((a) => a ?? NO_ATTEMPT);
          return {
            tokenRequest(request): CompositeTokenWatch {
              const parts = each(attempts, (a) => a.tokenRequest?.(request)).filter((r): r is TokenRequestWatch => r !== undefined);
              return { [PARTS]: parts, end: (result) => void each(parts, (part) => part.end(result)) };
            },
            joinedTokenRequest(request) {
              const parts = (request as Partial<CompositeTokenWatch>)[PARTS] ?? [request];
              for (const part of parts) each(attempts, (a) => a.joinedTokenRequest?.(part));
            },
            end: (result) => void each(attempts, (a) => a.end(result)),
          };
        },
        paced: (delayMs, reason) => void each(watches, (watch) => watch.paced?.(delayMs, reason)),
        end: (result) => void each(watches, (watch) => watch.end(result)),
      };
    },
  };
}
