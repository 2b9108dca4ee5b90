import type { CachedToken } from "@portico/core";
import { afterEach, describe, expect, it } from "vitest";
import { createSharedTokenCache, type SharedTokenCache } from "../src/tokens/shared-token-cache.js";
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

afterEach(() => {
  for (const cache of opened.splice(0)) cache.close();
});

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
    const [a, b] = [tab("s1"), tab("s1")];
    expect(a.coordination).toBe("broadcast-channel");
    await a.set("ignored-key", token("one"));
    await expect.poll(() => b.latest()?.accessToken).toBe("access-one");
    const late = tab("s1");
    expect((await late.fromOtherTabs())?.accessToken).toBe("access-one");
    expect(await tab("another-session").fromOtherTabs()).toBeUndefined();
  });

  it("runs one refresh at a time; the waiting tab finds the winner's token", async () => {
    const [a, b] = [tab("s2"), tab("s2")];
    let inside = 0;
    let most = 0;
    let requests = 0;
    /** What core's token manager does inside the lock: use a fresh cached token, else fetch one. */
    const refresh = (cache: SharedTokenCache) => (): Promise<CachedToken> =>
      (async () => {
        inside += 1;
        most = Math.max(most, inside);
        try {
          const cached = await cache.get("k");
          if (cached !== undefined) return cached;
          requests += 1;
          await new Promise((resolve) => setTimeout(resolve, 100));
          const fresh = token(`r${requests}`);
          await cache.set("k", fresh);
          return fresh;
        } finally {
          inside -= 1;
        }
      })();
    const run = (cache: SharedTokenCache): Promise<CachedToken> => cache.withRefreshLock?.("k", refresh(cache)) ?? Promise.reject(new Error("no lock"));
    const [ta, tb] = await Promise.all([run(a), run(b)]);
    expect(requests).toBe(1);
    expect(most).toBe(1);
    expect(ta.accessToken).toBe(tb.accessToken);
  });

  it("keeps the newest refresh token after the access token is dropped, and signs out every tab", async () => {
    const [a, b] = [tab("s3"), tab("s3")];
    await a.set("k", token("old", Date.now() - 1000));
    await a.set("k", token("new"));
    await a.set("k", token("stale", Date.now() - 5000));
    expect(a.latest()?.accessToken).toBe("access-new");
    await expect.poll(() => b.latest()?.accessToken).toBe("access-new");
    a.delete("k");
    expect(a.latest()).toBeUndefined();
    expect(a.latestRefreshToken()).toBe("refresh-new");
    await expect.poll(() => b.latest()).toBeUndefined();

    let signedOut = false;
    b.onSignOut(() => {
      signedOut = true;
    });
    a.signOut();
    await expect.poll(() => signedOut).toBe(true);
    expect(b.latestRefreshToken()).toBeUndefined();
  });
});
