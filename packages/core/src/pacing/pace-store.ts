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
   * milliseconds until the window resets when the window is spent. A key with no known window
   * always goes.
   */
  reserve(key: string, now: number): number | Promise<number>;
  /** Records what a response said of `key`'s window (keeping the lower count within one window). */
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
      return window.resetAt === Number.POSITIVE_INFINITY ? 0 : window.resetAt - now;
    },
    record(key, report, now) {
      // A late answer about a window that is already over says nothing about the current one.
      if (report.resetAt <= now) return;
      const window = windows.get(key);
      // Within the same window (resets within a second of each other), responses that arrive out of
      // order must not give back requests other calls already took.
      // A window begun locally (its reset not yet known) is the one the response describes.
      if (window !== undefined && now < window.resetAt && (window.resetAt === Number.POSITIVE_INFINITY || Math.abs(window.resetAt - report.resetAt) < 1000)) {
        window.remaining = Math.min(window.remaining, report.remaining);
        window.resetAt = window.resetAt === Number.POSITIVE_INFINITY ? report.resetAt : Math.max(window.resetAt, report.resetAt);
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
