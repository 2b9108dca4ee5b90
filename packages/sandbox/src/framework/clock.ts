/** The sandbox's notion of "now", shared by every API of one `startSandbox` run. */
export interface SandboxClock {
  /** Milliseconds since epoch: the real time plus the offset tests added. */
  now(): number;
  /** Moves time forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
  /** Sets the current time to `epochMs` (later reads keep ticking from there). */
  set(epochMs: number): void;
  /** Back to the real time. */
  reset(): void;
}

/** Creates a clock that follows `Date.now()` plus an adjustable offset. */
export function createClock(base: () => number = Date.now): SandboxClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms) {
      if (!Number.isFinite(ms)) throw new RangeError(`"ms" must be a finite number of milliseconds`);
      offset += ms;
    },
    set(epochMs) {
      if (!Number.isFinite(epochMs)) throw new RangeError(`"epochMs" must be a finite number of milliseconds`);
      offset = epochMs - base();
    },
    reset() {
      offset = 0;
    },
  };
}
