/**
 * Which token generation the tabs hold, published as Web Lock names: each tab holds a shared
 * lock `<prefix><obtainedAt>` for the token it has. `navigator.locks.query()` then tells a tab
 * that just won the refresh lock whether another tab already refreshed (a newer generation is
 * held) even before that tab's broadcast reached it. Locks vanish with their tab, so a marker
 * always belongs to a live tab that can answer.
 */
export interface VersionMarkers {
  /** Publishes that this tab holds generation `version` (its previous marker is released). */
  hold(version: number): Promise<void>;
  release(): Promise<void>;
  /** The newest generation any tab holds, 0 when none. */
  newest(): Promise<number>;
}

export function versionMarkers(locks: LockManager, prefix: string): VersionMarkers {
  let held = 0;
  let releaseHeld: (() => void) | undefined;
  let queue: Promise<void> = Promise.resolve();

  const drop = (): void => {
    releaseHeld?.();
    releaseHeld = undefined;
    held = 0;
  };

  const enqueue = (step: () => Promise<void> | void): Promise<void> => {
    queue = queue.then(step, step);
    return queue;
  };

  return {
    hold: (version) =>
      enqueue(() => {
        if (version === held) return;
        drop();
        held = version;
        return new Promise<void>((granted) => {
          locks
            .request(`${prefix}${version}`, { mode: "shared" }, () => {
              granted();
              return new Promise<void>((release) => {
                releaseHeld = release;
              });
            })
            .catch(() => granted());
        });
      }),
    release: () => enqueue(drop),
    async newest() {
      try {
        const snapshot = await locks.query();
        let newest = 0;
        for (const lock of snapshot.held ?? []) {
          if (lock.name?.startsWith(prefix) !== true) continue;
          const version = Number(lock.name.slice(prefix.length));
          if (Number.isFinite(version) && version > newest) newest = version;
        }
        return newest;
      } catch {
        return 0;
      }
    },
  };
}
