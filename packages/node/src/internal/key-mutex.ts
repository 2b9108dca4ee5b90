/**
 * Serializes async work per key inside this process: the second caller for a key starts when
 * the first one settles. Keys with nothing queued hold no memory.
 */
export interface KeyMutex {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createKeyMutex(): KeyMutex {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, work) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
