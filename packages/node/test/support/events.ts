/**
 * What callbacks reported, and waits on it: a test waits until the events it needs have happened
 * (a message, a connection, a hook call), never for a stretch of wall-clock time, so it passes
 * however busy the machine is. Failing waits end at the test's own timeout.
 */
export interface Recorder<T> {
  readonly items: T[];
  push(item: T): void;
  /** Resolves once `ready(items)` holds (at once if it already does). */
  until(ready: (items: readonly T[]) => boolean): Promise<void>;
  /** Resolves with the first item matching `matches`, now or when it is pushed. */
  first(matches?: (item: T) => boolean): Promise<T>;
}

export function recorder<T>(items: T[] = []): Recorder<T> {
  const waiters = new Set<() => void>();
  const until = (ready: (items: readonly T[]) => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!ready(items)) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return {
    items,
    push(item) {
      items.push(item);
      for (const check of [...waiters]) check();
    },
    until,
    async first(matches = () => true) {
      await until((all) => all.some(matches));
      return items.find(matches) as T;
    },
  };
}

/** A promise and its resolver, for one event. */
export function deferred<T = void>(): { readonly promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
