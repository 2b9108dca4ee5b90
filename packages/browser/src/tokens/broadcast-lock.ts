/**
 * The refresh lock of pages without Web Locks: leader election over the session's
 * BroadcastChannel. `refresh-lock.ts` loads this module with `import()` only on such pages, so
 * bundles of pages with `navigator.locks` (every current browser) leave it out of what they load
 * up front.
 */
import type { BroadcastLockOptions, RefreshLock } from "./refresh-lock.js";
import type { TabChannel } from "./tab-channel.js";

interface Claim {
  readonly id: string;
  readonly at: number;
  held: boolean;
  seenAt: number;
}

/**
 * Fallback lock when `navigator.locks` is absent: leader election over the BroadcastChannel.
 * A tab posts a timestamped claim, waits a moment to hear competing claims, and the earliest
 * claim (ties by id) holds the lock; the others wait for its release. Holders re-announce
 * themselves to newcomers, release on `pagehide`, and stale claims (a crashed tab) expire.
 */
export function broadcastChannelLock(channel: TabChannel, options: BroadcastLockOptions = {}): RefreshLock {
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
