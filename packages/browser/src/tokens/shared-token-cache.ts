import type { CachedToken, TokenCache } from "@portico/core";
import { broadcastLock, webLock, webLocks, type BroadcastLockOptions, type RefreshLock } from "./refresh-lock.js";
import { openTabChannel, type TabChannel, type TabMessage } from "./tab-channel.js";
import { isCachedToken, type TokenSlot } from "./token-slot.js";
import { versionMarkers, type VersionMarkers } from "./version-markers.js";

/** Options of `createSharedTokenCache`. */
export interface SharedTokenCacheOptions extends BroadcastLockOptions {
  /** Names the session: the BroadcastChannel and lock names derive from it. */
  readonly name: string;
  readonly slot: TokenSlot;
  /** Coordinate with the other tabs of the origin. @default true */
  readonly crossTab?: boolean;
  /** Web Locks to use; `null` forces the BroadcastChannel fallback. @default navigator.locks */
  readonly locks?: LockManager | null;
  /** How long to wait for another tab to hand over a token it is known to hold. @default 5000 */
  readonly catchUpTimeoutMs?: number;
  /** Without Web Locks, how long to wait for other tabs to answer "who has the token?". @default 300 */
  readonly peerWaitMs?: number;
}

/**
 * A `TokenCache` for one browser session, shared by the tabs of the origin: tokens set in one
 * tab are broadcast to the others, and `withRefreshLock` lets one tab refresh while the others
 * wait and then adopt its token, so core's token manager runs unchanged in every tab. It holds
 * a single session: the token manager's key is not needed to tell sessions apart.
 */
export interface SharedTokenCache extends TokenCache {
  /** Where this tab keeps the token. */
  readonly storage: TokenSlot["kind"];
  /** How tabs take turns refreshing: Web Locks, the BroadcastChannel fallback, or none (one tab only). */
  readonly coordination: RefreshLock["kind"] | "none";
  /** The newest token this tab knows, even if expired. */
  latest(): CachedToken | undefined;
  /** The newest refresh token this tab knows (kept after the access token is dropped). */
  latestRefreshToken(): string | undefined;
  /** This tab's token, else one asked from another tab of the origin. */
  fromOtherTabs(): Promise<CachedToken | undefined>;
  /** Forgets the session here and in every tab. */
  signOut(): void;
  /** Called when this or another tab signed out; returns the remover. */
  onSignOut(listener: () => void): () => void;
  /** Stops listening to other tabs (the session stays usable in this tab). */
  close(): void;
}

/** Whether `token` should replace `held`: obtained later and actually different. */
function isNewer(token: CachedToken, held: CachedToken | undefined): boolean {
  if (held === undefined) return true;
  if (token.accessToken === held.accessToken && token.refreshToken === held.refreshToken) return false;
  return token.obtainedAt >= held.obtainedAt;
}

export function createSharedTokenCache(options: SharedTokenCacheOptions): SharedTokenCache {
  const { slot } = options;
  const crossTab = options.crossTab ?? true;
  const catchUpTimeoutMs = options.catchUpTimeoutMs ?? 5000;
  const peerWaitMs = options.peerWaitMs ?? 300;
  const channel: TabChannel | undefined = crossTab ? openTabChannel(`portico:session:${options.name}`) : undefined;
  const locks = crossTab ? (options.locks === null ? undefined : (options.locks ?? webLocks())) : undefined;
  const lock: RefreshLock | undefined =
    locks !== undefined ? webLock(locks, `portico:refresh:${options.name}`) : channel?.connected ? broadcastLock(channel, options) : undefined;
  const markers: VersionMarkers | undefined = locks !== undefined ? versionMarkers(locks, `portico:generation:${options.name}:`) : undefined;
  const signOutListeners = new Set<() => void>();
  const waiters = new Set<() => void>();
  let refreshToken = slot.read()?.refreshToken;
  const restored = slot.read();
  if (restored !== undefined) void markers?.hold(restored.obtainedAt);

  const changed = (): void => {
    for (const waiter of [...waiters]) waiter();
  };

  /** Resolves once `ready()` holds, or after `ms`. */
  const until = (ready: () => boolean, ms: number): Promise<void> =>
    ready()
      ? Promise.resolve()
      : new Promise((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          };
          const check = (): void => {
            if (ready()) done();
          };
          const timer = setTimeout(done, ms);
          waiters.add(check);
        });

  async function accept(token: CachedToken, announce: boolean): Promise<void> {
    if (!isNewer(token, slot.read())) return;
    slot.write(token);
    if (token.refreshToken !== undefined) refreshToken = token.refreshToken;
    changed();
    if (announce) channel?.post({ t: "token", from: channel.tabId, token });
    await markers?.hold(token.obtainedAt);
  }

  function forget(): void {
    slot.clear();
    refreshToken = undefined;
    void markers?.release();
    changed();
    for (const listener of [...signOutListeners]) {
      try {
        listener();
      } catch {
        // Listeners never break the sign-out.
      }
    }
  }

  channel?.listen((message: TabMessage) => {
    switch (message.t) {
      case "token":
        if (isCachedToken(message.token)) void accept(message.token, false);
        break;
      case "query": {
        const token = slot.read();
        if (token !== undefined) channel.post({ t: "token", from: channel.tabId, token });
        break;
      }
      case "drop":
        if (slot.read()?.accessToken === message.accessToken) {
          slot.clear();
          void markers?.release();
        }
        break;
      case "sign-out":
        forget();
        break;
      default:
        break;
    }
  });

  /** Inside the refresh lock: if another tab holds a newer generation than ours, wait for it. */
  async function catchUp(): Promise<void> {
    if (markers === undefined || channel === undefined) return;
    const newest = await markers.newest();
    const have = (): number => slot.read()?.obtainedAt ?? 0;
    if (newest <= have()) return;
    channel.post({ t: "query", from: channel.tabId });
    await until(() => have() >= newest, catchUpTimeoutMs);
  }

  return {
    storage: slot.kind,
    coordination: lock?.kind ?? "none",
    // Expired tokens too (core checks expiry): their refresh token is the session's newest.
    get: () => slot.read(),
    set: (_key, token) => accept(token, true),
    delete() {
      const token = slot.read();
      if (token === undefined) return;
      slot.clear();
      void markers?.release();
      channel?.post({ t: "drop", from: channel.tabId, accessToken: token.accessToken });
    },
    withRefreshLock<T>(_key: string, refresh: () => Promise<T>): Promise<T> {
      if (lock === undefined) return refresh();
      return lock.run(async () => {
        await catchUp();
        return refresh();
      });
    },
    latest: () => slot.read(),
    latestRefreshToken: () => slot.read()?.refreshToken ?? refreshToken,
    async fromOtherTabs() {
      const own = slot.read();
      if (channel === undefined || !channel.connected) return own;
      if (markers !== undefined) {
        const newest = await markers.newest();
        if (newest === 0 || newest <= (own?.obtainedAt ?? 0)) return own;
        channel.post({ t: "query", from: channel.tabId });
        await until(() => (slot.read()?.obtainedAt ?? 0) >= newest, catchUpTimeoutMs);
        return slot.read();
      }
      channel.post({ t: "query", from: channel.tabId });
      await until(() => (slot.read()?.obtainedAt ?? 0) > (own?.obtainedAt ?? 0), peerWaitMs);
      return slot.read();
    },
    signOut() {
      channel?.post({ t: "sign-out", from: channel.tabId });
      forget();
    },
    onSignOut(listener) {
      signOutListeners.add(listener);
      return () => signOutListeners.delete(listener);
    },
    close() {
      channel?.close();
      void markers?.release();
      waiters.clear();
    },
  };
}
