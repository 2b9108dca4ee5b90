import type { CachedToken } from "@portico/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSharedTokenCache, type SharedTokenCache } from "../src/tokens/shared-token-cache.js";
import type { TabMessage } from "../src/tokens/tab-channel.js";
import { createTokenSlot, resolveTokenStorage } from "../src/tokens/token-slot.js";

/**
 * Storage choice, and the BroadcastChannel-only coordination (no Web Locks in Node) between two
 * caches of one session, over Node's real BroadcastChannel. The Web Locks path runs in Chromium
 * (three-tabs-refresh.test.ts).
 */
const token = (name: string, obtainedAt = Date.now()): CachedToken => ({
  accessToken: `access-${name}`,
  refreshToken: `refresh-${name}`,
  obtainedAt,
  expiresAt: obtainedAt + 60_000,
});

const opened: SharedTokenCache[] = [];
const tab = (name: string): SharedTokenCache => {
  const cache = createSharedTokenCache({ name, slot: createTokenSlot("memory", name), locks: null, peerWaitMs: 200 });
  opened.push(cache);
  return cache;
};

const ears: BroadcastChannel[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const cache of opened.splice(0)) cache.close();
  for (const ear of ears.splice(0)) ear.close();
});

/**
 * Overhears a session's channel. `heard` resolves once a message matching was posted and every
 * tab has handled it: Node delivers one post to every channel of the name in the same pass of the
 * event loop, and `setImmediate` runs after that pass. Tests wait on messages, never on time.
 */
function overhear(session: string) {
  const ear = new BroadcastChannel(`portico:session:${session}`);
  ears.push(ear);
  const messages: TabMessage[] = [];
  const waiters = new Set<() => void>();
  ear.onmessage = (event: MessageEvent<TabMessage>) => {
    messages.push(event.data);
    for (const check of [...waiters]) check();
  };
  return {
    messages,
    heard(matches: (message: TabMessage) => boolean, count = 1): Promise<void> {
      return new Promise<void>((resolve) => {
        const check = (): void => {
          if (messages.filter(matches).length < count) return;
          waiters.delete(check);
          setImmediate(resolve);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * The fallback lock and the "who has the token?" question wait on timers (settleMs, peerWaitMs):
 * fake ones here, moved by the test once the messages those waits are for have been delivered,
 * so a slow machine cannot make a message miss its window.
 */
function fakeTimers(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
}

describe("token storage choice", () => {
  it("is memory by default", () => {
    expect(resolveTokenStorage("test", {})).toBe("memory");
    expect(resolveTokenStorage("test", { tokenStorage: "sessionStorage" })).toBe("sessionStorage");
  });

  it("refuses localStorage without the option that names the risk", () => {
    // @ts-expect-error localStorage needs persistentStorageAcknowledgingXssRisk: true
    expect(() => resolveTokenStorage("test", { tokenStorage: "localStorage" })).toThrow(/persistentStorageAcknowledgingXssRisk/);
    expect(resolveTokenStorage("test", { tokenStorage: "localStorage", persistentStorageAcknowledgingXssRisk: true })).toBe("localStorage");
  });

  it("falls back to memory where Web Storage does not exist", () => {
    const slot = createTokenSlot("sessionStorage", "no-dom");
    expect(slot.kind).toBe("memory");
    slot.write(token("a"));
    expect(slot.read()?.accessToken).toBe("access-a");
  });
});

describe("sharing a session between tabs over BroadcastChannel", () => {
  it("hands a token set in one tab to the others, and to a tab that asks later", async () => {
    fakeTimers();
    const ear = overhear("s1");
    const [a, b] = [tab("s1"), tab("s1")];
    expect(a.coordination).toBe("broadcast-channel");
    await a.set("ignored-key", token("one"));
    await ear.heard((m) => m.t === "token");
    expect(b.latest()?.accessToken).toBe("access-one");
    // A late tab asks; the others answer. The answer ends the wait, not the timer.
    const late = tab("s1");
    expect((await late.fromOtherTabs())?.accessToken).toBe("access-one");
    // Nobody holds "another-session": the question goes unanswered until the wait (peerWaitMs) is over.
    const nobody = overhear("another-session");
    const lonely = tab("another-session");
    const asking = lonely.fromOtherTabs();
    await nobody.heard((m) => m.t === "query");
    await vi.advanceTimersByTimeAsync(200);
    expect(await asking).toBeUndefined();
  });

  it("runs one refresh at a time; the waiting tab finds the winner's token", async () => {
    fakeTimers();
    const ear = overhear("s2");
    const [a, b] = [tab("s2"), tab("s2")];
    let inside = 0;
    let most = 0;
    let requests = 0;
    let answer: () => void = () => {};
    const fetching = new Promise<void>((resolve) => (answer = resolve));
    /** What core's token manager does inside the lock: use a fresh cached token, else fetch one. */
    const refresh = (cache: SharedTokenCache) => (): Promise<CachedToken> =>
      (async () => {
        inside += 1;
        most = Math.max(most, inside);
        try {
          const cached = await cache.get("k");
          if (cached !== undefined) return cached;
          requests += 1;
          await fetching; // the token request answers when the test says
          const fresh = token(`r${requests}`);
          await cache.set("k", fresh);
          return fresh;
        } finally {
          inside -= 1;
        }
      })();
    const run = (cache: SharedTokenCache): Promise<CachedToken> => cache.withRefreshLock?.("k", refresh(cache)) ?? Promise.reject(new Error("no lock"));
    const both = Promise.all([run(a), run(b)]);
    // Both claims reached both tabs; then the settle time (50 ms) passes and each tab decides.
    await ear.heard((m) => m.t === "lock-claim", 2);
    await vi.advanceTimersByTimeAsync(50);
    expect(inside).toBe(1); // one tab holds the lock and is fetching; the other waits
    expect(requests).toBe(1);
    answer();
    const [ta, tb] = await both;
    expect(requests).toBe(1);
    expect(most).toBe(1);
    expect(ta.accessToken).toBe(tb.accessToken);
  });

  it("keeps the newest refresh token after the access token is dropped, and signs out every tab", async () => {
    const ear = overhear("s3");
    const [a, b] = [tab("s3"), tab("s3")];
    await a.set("k", token("old", Date.now() - 1000));
    await a.set("k", token("new"));
    await a.set("k", token("stale", Date.now() - 5000));
    expect(a.latest()?.accessToken).toBe("access-new");
    await ear.heard((m) => m.t === "token" && m.token.accessToken === "access-new");
    expect(b.latest()?.accessToken).toBe("access-new");
    expect(ear.messages.filter((m) => m.t === "token").map((m) => (m.t === "token" ? m.token.accessToken : ""))).toEqual(["access-old", "access-new"]);
    a.delete("k");
    expect(a.latest()).toBeUndefined();
    expect(a.latestRefreshToken()).toBe("refresh-new");
    await ear.heard((m) => m.t === "drop");
    expect(b.latest()).toBeUndefined();

    const signedOut = new Promise<void>((resolve) => b.onSignOut(resolve));
    a.signOut();
    await signedOut;
    expect(b.latestRefreshToken()).toBeUndefined();
  });
});
