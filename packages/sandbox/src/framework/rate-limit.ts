/** Fixed-window request limits (one window per key: a token, a tenant, a principal) and the `X-RateLimit-*` headers. */
import type { Context, MiddlewareHandler } from "hono";
import { apiError, type RequestIdEnv } from "./http.js";

/** One request counted against its key's window. */
export interface WindowHit {
  /** Past the limit: answer `429` with `Retry-After: resetSeconds`. */
  readonly limited: boolean;
  /** Seconds until the window restarts. */
  readonly resetSeconds: number;
  /** `X-RateLimit-Limit`, `-Remaining` and `-Reset`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One fixed window of one key, as counted: `count` requests arrived in it, those past the limit refused. */
export interface WindowTally {
  readonly start: number;
  count: number;
}

/**
 * Counts requests per key in fixed windows of `windowMs` (at the sandbox clock `now`). With
 * `history`, every window of every key is kept there, oldest first (tests read how full each was).
 */
export function createFixedWindows(limit: number, windowMs: number, now: () => number, history?: Map<string, WindowTally[]>): { hit(key: string): WindowHit } {
  const windows = new Map<string, WindowTally>();
  return {
    hit(key) {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        windows.set(key, (w = { start: t, count: 0 }));
        if (history !== undefined) {
          const kept = history.get(key);
          if (kept === undefined) history.set(key, [w]);
          else kept.push(w);
        }
      }
      w.count += 1;
      const resetSeconds = Math.max(0, Math.ceil((w.start + windowMs - t) / 1000));
      return {
        limited: w.count > limit,
        resetSeconds,
        headers: { "X-RateLimit-Limit": String(limit), "X-RateLimit-Remaining": String(Math.max(0, limit - w.count)), "X-RateLimit-Reset": String(resetSeconds) },
      };
    },
  };
}

/**
 * Fixed windows per `keyOf(c)` (one minute unless `windowMs` says otherwise): `X-RateLimit-*` on
 * every response, `429 RATE_LIMITED` with `Retry-After` past `limit`; every window kept in `history` when given.
 */
export function rateLimitPerMinute<E extends RequestIdEnv>(
  limit: number,
  now: () => number,
  keyOf: (c: Context<E>) => string,
  options: { readonly windowMs?: number; readonly history?: Map<string, WindowTally[]> } = {},
): MiddlewareHandler<E> {
  const windows = createFixedWindows(limit, options.windowMs ?? 60_000, now, options.history);
  return async (c, next) => {
    const { limited, resetSeconds, headers } = windows.hit(keyOf(c));
    if (limited) {
      for (const [k, v] of Object.entries(headers)) c.header(k, v);
      c.header("Retry-After", String(resetSeconds));
      return apiError(c, 429, "RATE_LIMITED", "Rate limit exceeded");
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  };
}
