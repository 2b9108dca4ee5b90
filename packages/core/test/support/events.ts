/**
 * What a test waits on instead of a timer: arrivals counted as they happen, gates that hold
 * answers until the test releases them, and logs of hook events.
 */

/** Counts arrivals and resolves `until(n)` once `n` have happened. */
export interface Arrivals {
  readonly count: number;
  until(n: number): Promise<void>;
}

export function createArrivals(): Arrivals & { bump(): void } {
  let count = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    get count() {
      return count;
    },
    bump() {
      count += 1;
      for (const waiter of waiters.filter((w) => w.n <= count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    until(n) {
      return count >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
  };
}

/** Holds answers until released: `hold()` returns the release. */
export interface Gate {
  hold(): () => void;
  pass(): Promise<void>;
}

export function createGate(): Gate {
  let held: Promise<void> | undefined;
  return {
    hold() {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      held = gate;
      return () => {
        if (held === gate) held = undefined;
        release();
      };
    },
    pass: () => held ?? Promise.resolve(),
  };
}

/** A log of hook events a test can wait on: `until(n)` resolves once `n` were pushed. */
export interface EventLog<E> {
  readonly events: E[];
  readonly push: (event: E) => void;
  until(n: number): Promise<void>;
}

export function eventLog<E>(): EventLog<E> {
  const events: E[] = [];
  const arrivals = createArrivals();
  return {
    events,
    push: (event) => {
      events.push(event);
      arrivals.bump();
    },
    until: (n) => arrivals.until(n),
  };
}
