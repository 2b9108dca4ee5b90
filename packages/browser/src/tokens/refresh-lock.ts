import type { TabChannel } from "./tab-channel.js";

/** Runs one refresh at a time across the tabs of an origin. */
export interface RefreshLock {
  readonly kind: "web-locks" | "broadcast-channel";
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** The Web Locks API, when this page has it (secure contexts of current browsers). */
export function webLocks(): LockManager | undefined {
  const navigator = (globalThis as { navigator?: Navigator }).navigator;
  const locks = navigator?.locks;
  return locks !== undefined && locks !== null && typeof locks.request === "function" ? locks : undefined;
}

/**
 * An exclusive Web Lock: the browser queues the tabs and grants the lock to one at a time,
 * and frees it if the holding tab goes away.
 * @see https://w3c.github.io/web-locks/
 */
export function webLock(locks: LockManager, name: string): RefreshLock {
  return {
    kind: "web-locks",
    run: <T>(fn: () => Promise<T>): Promise<T> => locks.request(name, { mode: "exclusive" }, () => fn()) as Promise<T>,
  };
}

/** Options of the BroadcastChannel-only lock. */
export interface BroadcastLockOptions {
  /** How long a claim waits to hear competing claims before deciding. @default 50 */
  readonly settleMs?: number;
  /** A claim not heard from for this long belongs to a tab that went away. @default 35000 */
  readonly staleMs?: number;
}

/**
 * The BroadcastChannel fallback lock (`broadcast-lock.ts`), for pages without Web Locks. Its
 * module starts loading at once, so that it hears the other tabs' claims as early as it would if
 * it were bundled; pages with Web Locks never call this and never load it. A failed load is tried
 * again by the next `run`, which rejects meanwhile (core reports `TOKEN_REFRESH_FAILED`).
 */
export function broadcastLock(channel: TabChannel, options: BroadcastLockOptions = {}): RefreshLock {
  let loading: Promise<RefreshLock> | undefined;
  const load = (): Promise<RefreshLock> =>
    (loading ??= import("./broadcast-lock.js").then(
      (module) => module.broadcastChannelLock(channel, options),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  load().catch(() => {
    // Tried again, and reported, by the first `run`.
  });
  return { kind: "broadcast-channel", run: (fn) => load().then((lock) => lock.run(fn)) };
}
