/**
 * The injected clock every test moves by hand: credentials, token endpoints and API servers read
 * it, so expiry and refresh windows are reached by `advance`/`set`, never by waiting.
 */
import type { Clock } from "../../src/index.js";

/** Where every test's clock starts: a whole second, as HTTP `Date` headers have, so JWT `iat`/`exp` fall on exact values. */
export const START = Date.parse("2026-04-22T14:00:00Z");

export interface MovableClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function movableClock(start = START): MovableClock {
  let now = start;
  return {
    now: () => now,
    set: (ms) => void (now = ms),
    advance: (ms) => void (now += ms),
  };
}
