/** Reconnect policy of a socket. */
export interface ReconnectOptions {
  /** First backoff step, ms. @default 500 */
  baseDelayMs?: number;
  /** Cap of one delay, ms. @default 30000 */
  maxDelayMs?: number;
  /** Reconnect attempts in a row before giving up (reset by every successful open). @default Infinity */
  maxAttempts?: number;
}

/** Full-jitter exponential backoff: a uniform draw in `[0, min(max, base * 2^attempt)]`, never below 50 ms. */
export function backoffDelay(attempt: number, options: ReconnectOptions, random: () => number = Math.random): number {
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  return Math.max(50, Math.round(random() * ceiling));
}
