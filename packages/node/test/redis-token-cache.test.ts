import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { CachedToken } from "@portico/core";
import { createRedisTokenCache, SAFE_REDIS_OPTIONS, type RedisTokenCache, type RedisTokenCacheOptions } from "../src/index.js";
import { deferred, recorder } from "./support/events.js";
import { freePort, monitorRedis, PATIENT_REDIS, startRedis, type RedisServer } from "./support/redis.js";

const CANARY = "CANARY-access-token-never-logged";
const KEY = 'portico:token:v1:["client_credentials","https://auth.example/oauth/token","cli_1","aud","","tenant-a",[]]';

let server: RedisServer;
let raw: Redis;
const opened: RedisTokenCache[] = [];

beforeAll(async () => {
  server = await startRedis();
  raw = new Redis(server.port, "127.0.0.1");
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
  if (raw.status === "ready") await raw.flushall();
});
afterAll(async () => {
  raw.disconnect();
  await server.stop();
});

function cache(options: Partial<RedisTokenCacheOptions> = {}): RedisTokenCache {
  const created = createRedisTokenCache({ redis: { port: server.port, host: "127.0.0.1", ...PATIENT_REDIS }, ...options });
  opened.push(created);
  return created;
}

/** Lifetimes are minutes long: nothing a test stores expires because the machine is slow. */
const MINUTES = 60_000;

function token(lifetimeMs: number, accessToken = `${CANARY}-${randomBytes(4).toString("hex")}`, obtainedAt = Date.now()): CachedToken {
  return { accessToken, obtainedAt, expiresAt: obtainedAt + lifetimeMs, scopes: ["inventory:read"], tenant: "tenant-a" };
}

/**
 * What core's token manager does under the lock: read the cache, fetch only if still stale.
 * `fetching` (if given) is where the "token request" waits: the test decides when it answers.
 */
function refresher(store: RedisTokenCache, counter: { fetches: number }, fetching?: () => Promise<void>) {
  return async (): Promise<CachedToken> => {
    const stored = await store.get(KEY);
    if (stored !== undefined && stored.expiresAt - Date.now() > MINUTES) return stored;
    counter.fetches += 1;
    await fetching?.();
    const fresh = token(10 * MINUTES);
    await store.set(KEY, fresh);
    return fresh;
  };
}

/** The one refresh-lock key in Redis. */
async function lockKey(): Promise<string> {
  const keys = await raw.keys("portico:*lock");
  expect(keys).toHaveLength(1);
  return keys[0]!;
}

describe("createRedisTokenCache: storage", () => {
  it("stores a token per key, encrypted, with a TTL equal to its remaining lifetime", async () => {
    const encryptionKey = randomBytes(32).toString("hex");
    const writer = cache({ encryptionKey });
    const reader = cache({ encryptionKey });
    const stored = token(10 * MINUTES);
    const before = Date.now();
    await writer.set(KEY, stored);

    expect(await reader.get(KEY)).toEqual(stored);
    expect(await reader.get(`${KEY}-other-tenant`)).toBeUndefined();

    const keys = await raw.keys("portico:*");
    expect(keys).toHaveLength(1);
    const key = keys[0]!;
    expect(key).not.toContain("cli_1"); // the cache key is hashed
    const ttl = await raw.pttl(key);
    // The remaining lifetime at the write, counted down since: however long that took.
    expect(ttl).toBeLessThanOrEqual(stored.expiresAt - before);
    expect(ttl).toBeGreaterThanOrEqual(stored.expiresAt - Date.now() - 1);
    const value = (await raw.get(key))!;
    expect(value).not.toContain(CANARY);
    expect(value).not.toContain("tenant-a");
  });

  it("cannot be read with another key (reported through onRedisError), nor by a plaintext reader", async () => {
    await cache({ encryptionKey: randomBytes(32) }).set(KEY, token(10 * MINUTES));
    const operations: string[] = [];
    const other = cache({ encryptionKey: randomBytes(32), hooks: { onRedisError: (event) => operations.push(event.operation) } });
    expect(await other.get(KEY)).toBeUndefined();
    expect(operations).toEqual(["decode"]);
    expect(await cache().get(KEY)).toBeUndefined();
  });

  it("binds a ciphertext to its cache key: copied under another key, it does not decode", async () => {
    const encryptionKey = randomBytes(32);
    const store = cache({ encryptionKey });
    await store.set(KEY, token(10 * MINUTES, "tenant-a-token"));
    const [keyA] = await raw.keys("portico:*");
    await store.set(`${KEY}-b`, token(10 * MINUTES, "tenant-b-token"));
    const keyB = (await raw.keys("portico:*")).find((key) => key !== keyA)!;
    await raw.set(keyB, (await raw.get(keyA!))!, "PX", 10 * MINUTES);
    expect(await cache({ encryptionKey }).get(`${KEY}-b`)).toBeUndefined();
  });

  it("keeps the longer-lived token when a slower process writes an older one", async () => {
    const first = cache();
    const now = Date.now();
    const newer = token(20 * MINUTES, "newer", now);
    await first.set(KEY, newer);
    await first.set(KEY, token(10 * MINUTES, "older", now));
    expect((await cache().get(KEY))?.accessToken).toBe("newer");
  });

  it("does not store an expired token, and deletes", async () => {
    const store = cache();
    await store.set(KEY, token(-1));
    expect(await raw.keys("portico:*")).toHaveLength(0);
    await store.set(KEY, token(10 * MINUTES));
    await store.delete(KEY);
    expect(await cache().get(KEY)).toBeUndefined();
    expect(await raw.keys("portico:*")).toHaveLength(0);
  });

  it("refuses an encryption key that is not 32 bytes", () => {
    expect(() => createRedisTokenCache({ redis: { port: server.port }, encryptionKey: "too-short" })).toThrow(/encryptionKey/);
    expect(() => createRedisTokenCache({ redis: { port: server.port }, lockTtlMs: 0 })).toThrow(/lockTtlMs/);
  });
});

describe("createRedisTokenCache: refresh lock", () => {
  it("lets one of many processes fetch; the others read what it stored", async () => {
    const monitor = await monitorRedis(server.port);
    try {
      const counter = { fetches: 0 };
      const stores = Array.from({ length: 6 }, () => cache());
      // The holder's token request answers only once the five others are waiting on its lock
      // (each polling Redis), so every one of them really contends, however slow the machine.
      const othersWaiting = () =>
        monitor.until((commands) => new Set(commands.filter((c) => c.command === "mget").map((c) => c.client)).size >= 5);
      const results = await Promise.all(stores.map((store) => store.withRefreshLock(KEY, refresher(store, counter, othersWaiting))));
      expect(counter.fetches).toBe(1);
      expect(new Set(results.map((result) => result.accessToken)).size).toBe(1);
      expect(await raw.keys("portico:*lock")).toHaveLength(0); // released
    } finally {
      await monitor.close();
    }
  });

  it("a holder that never finishes does not wedge the others: its lock expires", async () => {
    const lockTtlMs = 600;
    // The waiter would give up waiting (and refresh without the lock) only after a minute.
    const holder = cache({ lockTtlMs });
    const waiter = cache({ lockTtlMs, waitTimeoutMs: 60_000 });
    const holding = deferred();
    let unblock: () => void = () => {};
    const stuck = holder.withRefreshLock(KEY, () => {
      holding.resolve();
      return new Promise<string>((resolve) => (unblock = () => resolve("late")));
    });
    await holding.promise; // the holder has the lock
    const holderFence = await raw.get(await lockKey());
    const counter = { fetches: 0 };
    let fenceDuringRefresh: string | null = null;
    const result = await waiter.withRefreshLock(KEY, async () => {
      fenceDuringRefresh = await raw.get(await lockKey());
      return refresher(waiter, counter)();
    });
    expect(counter.fetches).toBe(1);
    expect(result.accessToken).toContain(CANARY);
    // It refreshed under a lock of its own, taken once the holder's had expired (by Redis's TTL,
    // the only way out: the holder never released it and the waiter's wait had not run out).
    expect(fenceDuringRefresh).not.toBeNull();
    expect(fenceDuringRefresh).not.toBe(holderFence);
    unblock();
    expect(await stuck).toBe("late");
  });

  it("never releases a lock it no longer owns (fencing token)", async () => {
    const slow = cache({ lockTtlMs: 300 });
    const fast = cache({ lockTtlMs: 10 * MINUTES, waitTimeoutMs: 10 * MINUTES });
    const slowHolds = deferred();
    let finishSlow: () => void = () => {};
    const slowRun = slow.withRefreshLock(KEY, () => {
      slowHolds.resolve();
      return new Promise<void>((resolve) => (finishSlow = resolve));
    });
    await slowHolds.promise;
    const fastHolds = deferred();
    let finishFast: () => void = () => {};
    const fastRun = fast.withRefreshLock(KEY, () => {
      fastHolds.resolve();
      return new Promise<void>((resolve) => (finishFast = resolve));
    });
    await fastHolds.promise; // slow's lock expired (Redis TTL); fast took it
    const fastFence = await raw.get(await lockKey());
    finishSlow();
    await slowRun;
    expect(await raw.get(await lockKey())).toBe(fastFence); // fast's lock survived slow's release
    finishFast();
    await fastRun;
    expect(await raw.keys("portico:*lock")).toHaveLength(0);
  });

  it("a refresh that finished while Redis was unreachable is stored, and its lock released, once Redis answers again", async () => {
    // The holder's own client, so the test can cut its connection (as a failover does) while the
    // lock and the data stay in Redis (as on a promoted replica).
    const client = new Redis({ ...SAFE_REDIS_OPTIONS, ...PATIENT_REDIS, host: "127.0.0.1", port: server.port, connectionName: "holder" });
    const events = recorder<string>();
    const holder = createRedisTokenCache({ redis: client, lockTtlMs: 10 * MINUTES, hooks: { onFallback: () => events.push("fallback"), onRecover: () => events.push("recover") } });
    opened.push(holder);
    const fresh = token(10 * MINUTES);
    try {
      await holder.withRefreshLock(KEY, async () => {
        const list = String(await raw.call("CLIENT", "LIST"));
        const id = /id=(\d+) [^\n]*name=holder/.exec(list)?.[1];
        const closed = new Promise((resolve) => client.once("close", resolve));
        await raw.call("CLIENT", "KILL", "ID", id!);
        await closed; // cut off: the token it got cannot be stored, nor the lock released
        await holder.set(KEY, fresh);
        return fresh;
      });
      expect(events.items).toEqual(["fallback"]);
      expect(await raw.keys("portico:*lock")).toHaveLength(1); // left behind, for lockTtlMs
      expect(await cache().get(KEY)).toBeUndefined();

      await events.first((event) => event === "recover"); // the client reconnected on its own
      // Another process finds the token, and no lock to wait out.
      await expect.poll(async () => (await cache().get(KEY))?.accessToken).toBe(fresh.accessToken);
      await expect.poll(() => raw.keys("portico:*lock")).toHaveLength(0);
    } finally {
      client.disconnect();
    }
  });

  it("propagates the refresh's own error and releases the lock", async () => {
    const store = cache();
    await expect(store.withRefreshLock(KEY, () => Promise.reject(new Error("token endpoint down")))).rejects.toThrow("token endpoint down");
    expect(await raw.keys("portico:*lock")).toHaveLength(0);
    expect(store.mode).toBe("redis");
  });
});

describe("createRedisTokenCache: Redis down", () => {
  it("falls back to the in-process cache when Redis stops mid-run, fires the hooks, and recovers", async () => {
    const own = await startRedis();
    const events: string[] = [];
    const messages: string[] = [];
    const recovered = deferred();
    const store = createRedisTokenCache({
      redis: { port: own.port, host: "127.0.0.1", ...PATIENT_REDIS },
      hooks: {
        onFallback: (event) => {
          events.push(`fallback:${event.reason}`);
          messages.push(JSON.stringify(event), event.error?.message ?? "");
        },
        onRedisError: (event) => messages.push(event.error.message, String(event.error.stack)),
        onRecover: () => {
          events.push("recover");
          recovered.resolve();
        },
      },
    });
    try {
      const counter = { fetches: 0 };
      const first = await store.withRefreshLock(KEY, refresher(store, counter));
      expect(store.mode).toBe("redis");

      await own.stop();
      // Every call keeps succeeding from this process's copy.
      for (let i = 0; i < 20; i++) expect((await store.get(KEY))?.accessToken).toBe(first.accessToken);
      expect(store.mode).toBe("fallback");
      expect(events.filter((event) => event.startsWith("fallback"))).toHaveLength(1);

      // In-process single flight: concurrent refreshes fetch once.
      await store.delete(KEY);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.withRefreshLock(KEY, refresher(store, counter))));
      expect(counter.fetches).toBe(2);
      expect(new Set(results.map((result) => result.accessToken)).size).toBe(1);
      await store.set(KEY, token(10 * MINUTES, "written-while-down"));
      expect((await store.get(KEY))?.accessToken).toBe("written-while-down");

      await own.start();
      await recovered.promise; // the client reconnected on its own
      await store.set(KEY, token(20 * MINUTES, "after-recovery"));
      expect(store.mode).toBe("redis");
      const check = new Redis(own.port, "127.0.0.1");
      expect(await check.keys("portico:*")).toHaveLength(1);
      check.disconnect();
      expect(messages.join("\n")).not.toContain(CANARY);
    } finally {
      await store.close();
      await own.stop();
    }
  });

  it("never fails, nor waits longer than the connect timeout, when Redis is unreachable from the start", async () => {
    const port = await freePort();
    const reasons: string[] = [];
    const connectTimeout = 300;
    // Fake timers: the connect timeout elapses when the test says, so the wait is measured in the
    // cache's own timer, not in how long a busy machine took.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const store = createRedisTokenCache({
      redis: { port, host: "127.0.0.1", connectTimeout },
      hooks: { onFallback: (event) => reasons.push(event.reason) },
    });
    try {
      let settled = false;
      const first = store.get(KEY).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(connectTimeout - 1);
      expect(settled).toBe(false); // waiting for the first connection...
      await vi.advanceTimersByTimeAsync(1);
      expect(await first).toBeUndefined(); // ...no longer than the connect timeout
      expect(reasons).toEqual(["unavailable"]);
      // From then on nothing waits: no timer needs to fire for these to finish.
      const counter = { fetches: 0 };
      const result = await store.withRefreshLock(KEY, refresher(store, counter));
      expect(result.accessToken).toContain(CANARY);
      expect((await store.get(KEY))?.accessToken).toBe(result.accessToken);
      expect(reasons).toEqual(["unavailable"]);
    } finally {
      vi.useRealTimers();
      await store.close();
    }
  });
});
