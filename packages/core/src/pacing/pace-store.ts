/**
 * Where pacing state lives: what the last responses said of a tenant's rate-limit window, and the
 * credits it spent in the last minute. The default store is this process's memory, shared by
 * every client of the same credential and origin; `@portico/node`'s Redis store shares it across
 * a fleet. Keys are `"<origin> <pacing key>"` (the `pacing.key` option, e.g. a tenant id) or
 * `"<origin> <credential fingerprint>#<n>"` (one credential object of this process), never a secret.
 */

/** What a response said of a rate-limit window. */
export interface WindowReport {
  /** Requests left in the window. */
  readonly remaining: number;
  /** When the window resets, epoch milliseconds. */
  readonly resetAt: number;
  /** Requests per window, when the server said (`RateLimit-Limit`, the policy's `q`). */
  readonly limit?: number;
  /** The window's length, when the server said (the policy's `w`): the next windows are known too. */
  readonly windowMs?: number;
}

/** Shared pacing state: rate-limit windows and credit spend, by key. */
export interface PaceStore {
  /**
   * Takes one request from `key`'s window: resolves 0 when it may go now (and counts it), or the
   * milliseconds until the window resets when the window is spent (`UNKNOWN_RESET_WAIT_MS` when
   * its reset is not known yet). A key with no known window always goes.
   */
  reserve(key: string, now: number): number | Promise<number>;
  /** Records what a response said of `key`'s window (until the known window ends, only ever lowering its count). */
  record(key: string, report: WindowReport, now: number): void | Promise<void>;
  /**
   * Spends `cost` credits from `key`'s budget of `max` per sliding minute: resolves 0 when the
   * budget allows it now (and counts it), or the milliseconds until enough of the minute's spend
   * has aged out (`Infinity` when `cost` alone exceeds `max`).
   */
  spend(key: string, cost: number, max: number, now: number): number | Promise<number>;
}

/** Length of the credit budget's sliding window. */
export const CREDIT_WINDOW_MS = 60_000;

/**
 * The wait answered for a window that restarted locally, is spent, and whose end no response has
 * told yet (the server gave no window length): short, so the next response, which says when the
 * window resets, is heard before the call asks again.
 */
export const UNKNOWN_RESET_WAIT_MS = 250;

interface Window {
  remaining: number;
  resetAt: number;
  limit: number | undefined;
  windowMs: number | undefined;
}

/**
 * The in-process pace store. Windows and spends of keys nobody paced for a while are dropped, so
 * a process serving many tenants keeps only the active ones.
 */
export function createMemoryPaceStore(): PaceStore {
  const windows = new Map<string, Window>();
  const spends = new Map<string, { at: number; cost: number }[]>();
  return {
    reserve(key, now) {
      const window = windows.get(key);
      if (window === undefined) return 0;
      if (now >= window.resetAt) {
        // A new window: as many requests as the last one allowed, or unknown until a response says.
        if (window.limit === undefined) {
          windows.delete(key);
          return 0;
        }
        window.remaining = window.limit;
        // Its end: the next boundary when the window's length is known, else unknown until a response says.
        window.resetAt = window.windowMs === undefined ? Number.POSITIVE_INFINITY : window.resetAt + Math.ceil((now + 1 - window.resetAt) / window.windowMs) * window.windowMs;
      }
      if (window.remaining > 0) {
        window.remaining -= 1;
        return 0;
      }
      // Spent, and its end not yet known: wait a moment for a response of this window to say it.
      return window.resetAt === Number.POSITIVE_INFINITY ? UNKNOWN_RESET_WAIT_MS : window.resetAt - now;
    },
    record(key, report, now) {
      // A late answer about a window that is already over says nothing about the current one.
      if (report.resetAt <= now) return;
      const window = windows.get(key);
      // Until the known window ends, every answer is taken as about it: answers arrive out of order
      // and late (a late one reads as a later reset), and none may give back requests other calls
      // already took. An answer from the server's next window, come before ours ends, only lowers
      // the count (fewer calls, never a 429); the reset moves later by at most a second of rounding.
      if (window !== undefined && now < window.resetAt) {
        window.remaining = Math.min(window.remaining, report.remaining);
        if (window.resetAt === Number.POSITIVE_INFINITY) window.resetAt = report.resetAt;
        else if (report.resetAt - window.resetAt < 1000) window.resetAt = Math.max(window.resetAt, report.resetAt);
        if (report.limit !== undefined) window.limit = report.limit;
        if (report.windowMs !== undefined) window.windowMs = report.windowMs;
        return;
      }
      windows.set(key, { remaining: report.remaining, resetAt: report.resetAt, limit: report.limit ?? window?.limit, windowMs: report.windowMs ?? window?.windowMs });
    },
    spend(key, cost, max, now) {
      let spent = spends.get(key);
      if (spent === undefined) spends.set(key, (spent = []));
      while (spent.length > 0 && spent[0]!.at <= now - CREDIT_WINDOW_MS) spent.shift();
      let total = 0;
      for (const entry of spent) total += entry.cost;
      if (cost > max) return Number.POSITIVE_INFINITY;
      if (total + cost <= max) {
        if (cost > 0) spent.push({ at: now, cost });
        return 0;
      }
      // Wait until the oldest spends age out far enough for this one to fit.
      let freed = 0;
      for (const entry of spent) {
        freed += entry.cost;
        if (total - freed + cost <= max) return entry.at + CREDIT_WINDOW_MS - now;
      }
      return spent[spent.length - 1]!.at + CREDIT_WINDOW_MS - now;
    },
  };
}
