/** Where time comes from; injectable so tests can move it. Epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The system clock, read at each call (so fake timers that replace `Date` apply). */
export const systemClock: Clock = { now: () => Date.now() };
