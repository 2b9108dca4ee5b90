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

interface Claim {
  readonly id: string;
  readonly at: number;
  held: boolean;
  seenAt: number;
}

/** Options of the BroadcastChannel-only lock. */
export interface BroadcastLockOptions {
  /** How long a claim waits to hear competing claims before deciding. @default 50 */
  readonly settleMs?: number;
  /** A claim not heard from for this long belongs to a tab that went away. @default 35000 */
  readonly staleMs?: number;
}

/**
 * Fallback lock when `navigator.locks` is absent: leader election over the BroadcastChannel.
 * A tab posts a timestamped claim, waits a moment to hear competing claims, and the earliest
 * claim (ties by id) holds the lock; the others wait for its release. Holders re-announce
 * themselves to newcomers, release on `pagehide`, and stale claims (a crashed tab) expire.
 */
export function broadcastLock(channel: TabChannel, options: BroadcastLockOptions = {}): RefreshLock {
  const settleMs = options.settleMs ?? 50;
  const staleMs = options.staleMs ?? 35_000;
  const claims = new Map<string, Claim>();
  const mine = new Set<string>();
  const wakers = new Set<() => void>();
  let counter = 0;

  const wake = (): void => {
    for (const waker of [...wakers]) waker();
  };

  channel.listen((message) => {
    const now = Date.now();
    if (message.t === "lock-claim") {
      claims.set(message.id, { id: message.id, at: message.at, held: false, seenAt: now });
      for (const id of mine) if (claims.get(id)?.held) channel.post({ t: "lock-held", from: channel.tabId, id });
    } else if (message.t === "lock-held") {
      const claim = claims.get(message.id);
      if (claim === undefined) claims.set(message.id, { id: message.id, at: 0, held: true, seenAt: now });
      else {
        claim.held = true;
        claim.seenAt = now;
      }
    } else if (message.t === "lock-release") {
      claims.delete(message.id);
    } else return;
    wake();
  });

  const releaseAll = (): void => {
    for (const id of mine) {
      claims.delete(id);
      channel.post({ t: "lock-release", from: channel.tabId, id });
    }
    mine.clear();
  };
  (globalThis as { addEventListener?: (type: string, listener: () => void) => void }).addEventListener?.("pagehide", releaseAll);

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  const first = (a: Claim, b: Claim): boolean => a.at < b.at || (a.at === b.at && a.id < b.id);

  return {
    kind: "broadcast-channel",
    async run<T>(fn: () => Promise<T>): Promise<T> {
      counter += 1;
      const id = `${channel.tabId}:${counter}`;
      const claim: Claim = { id, at: Date.now(), held: false, seenAt: Date.now() };
      claims.set(id, claim);
      mine.add(id);
      channel.post({ t: "lock-claim", from: channel.tabId, id, at: claim.at });
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      for (;;) {
        const now = Date.now();
        for (const other of claims.values()) if (!mine.has(other.id) && now - other.seenAt > staleMs) claims.delete(other.id);
        let blocked = false;
        for (const other of claims.values()) {
          if (other.id !== id && (other.held || first(other, claim))) blocked = true;
        }
        if (!blocked) break;
        await pause(staleMs);
      }
      claim.held = true;
      channel.post({ t: "lock-held", from: channel.tabId, id });
      try {
        return await fn();
      } finally {
        claims.delete(id);
        mine.delete(id);
        channel.post({ t: "lock-release", from: channel.tabId, id });
        wake();
      }
    },
  };
}
