import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CachedToken } from "@portico/core";
import { createRedisTokenCache, type RedisTokenCache, type RedisTokenCacheOptions } from "../src/index.js";
import { freePort, startRedis, type RedisServer } from "./support/redis.js";

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
  const created = createRedisTokenCache({ redis: { port: server.port, host: "127.0.0.1" }, ...options });
  opened.push(created);
  return created;
}

function token(lifetimeMs: number, accessToken = `${CANARY}-${randomBytes(4).toString("hex")}`): CachedToken {
  const now = Date.now();
  return { accessToken, obtainedAt: now, expiresAt: now + lifetimeMs, scopes: ["inventory:read"], tenant: "tenant-a" };
}

/** What core's token manager does under the lock: read the cache, fetch only if still stale. */
function refresher(store: RedisTokenCache, counter: { fetches: number }, fetchMs = 100) {
  return async (): Promise<CachedToken> => {
    const stored = await store.get(KEY);
    if (stored !== undefined && stored.expiresAt - Date.now() > 2_000) return stored;
    counter.fetches += 1;
    await new Promise((resolve) => setTimeout(resolve, fetchMs));
    const fresh = token(5_000);
    await store.set(KEY, fresh);
    return fresh;
  };
}

describe("createRedisTokenCache: storage", () => {
  it("stores a token per key, encrypted, with a TTL equal to its remaining lifetime", async () => {
    const encryptionKey = randomBytes(32).toString("hex");
    const writer = cache({ encryptionKey });
    const reader = cache({ encryptionKey });
    const stored = token(5_000);
    await writer.set(KEY, stored);

    expect(await reader.get(KEY)).toEqual(stored);
    expect(await reader.get(`${KEY}-other-tenant`)).toBeUndefined();

    const keys = await raw.keys("portico:*");
    expect(keys).toHaveLength(1);
    const key = keys[0]!;
    expect(key).not.toContain("cli_1"); // the cache key is hashed
    const ttl = await raw.pttl(key);
    expect(ttl).toBeGreaterThan(3_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    const value = (await raw.get(key))!;
    expect(value).not.toContain(CANARY);
    expect(value).not.toContain("tenant-a");
  });

  it("cannot be read with another key (reported through onRedisError), nor by a plaintext reader", async () => {
    await cache({ encryptionKey: randomBytes(32) }).set(KEY, token(5_000));
    const operations: string[] = [];
    const other = cache({ encryptionKey: randomBytes(32), hooks: { onRedisError: (event) => operations.push(event.operation) } });
    expect(await other.get(KEY)).toBeUndefined();
    expect(operations).toEqual(["decode"]);
    expect(await cache().get(KEY)).toBeUndefined();
  });

  it("binds a ciphertext to its cache key: copied under another key, it does not decode", async () => {
    const encryptionKey = randomBytes(32);
    const store = cache({ encryptionKey });
    await store.set(KEY, token(5_000, "tenant-a-token"));
    const [keyA] = await raw.keys("portico:*");
    await store.set(`${KEY}-b`, token(5_000, "tenant-b-token"));
    const keyB = (await raw.keys("portico:*")).find((key) => key !== keyA)!;
    await raw.set(keyB, (await raw.get(keyA!))!, "PX", 5_000);
    expect(await cache({ encryptionKey }).get(`${KEY}-b`)).toBeUndefined();
  });

  it("keeps the longer-lived token when a slower process writes an older one", async () => {
    const first = cache();
    const newer = token(10_000, "newer");
    await first.set(KEY, newer);
    await first.set(KEY, token(5_000, "older"));
    expect((await cache().get(KEY))?.accessToken).toBe("newer");
  });

  it("does not store an expired token, and deletes", async () => {
    const store = cache();
    await store.set(KEY, token(-1));
    expect(await raw.keys("portico:*")).toHaveLength(0);
    await store.set(KEY, token(5_000));
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
    const counter = { fetches: 0 };
    const stores = Array.from({ length: 6 }, () => cache());
    const results = await Promise.all(stores.map((store) => store.withRefreshLock(KEY, refresher(store, counter, 200))));
    expect(counter.fetches).toBe(1);
    expect(new Set(results.map((result) => result.accessToken)).size).toBe(1);
    expect(await raw.keys("portico:*lock")).toHaveLength(0); // released
  });

  it("a holder that never finishes does not wedge the others: its lock expires", async () => {
    const holder = cache({ lockTtlMs: 600 });
    const waiter = cache({ lockTtlMs: 600 });
    let unblock: () => void = () => {};
    const stuck = holder.withRefreshLock(KEY, () => new Promise<string>((resolve) => (unblock = () => resolve("late"))));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const counter = { fetches: 0 };
    const started = Date.now();
    const result = await waiter.withRefreshLock(KEY, refresher(waiter, counter));
    const waited = Date.now() - started;
    expect(counter.fetches).toBe(1);
    expect(result.accessToken).toContain(CANARY);
    expect(waited).toBeGreaterThanOrEqual(400); // it did wait for the expiry
    expect(waited).toBeLessThan(5_000); // generous: lock expiry + one refresh + a loaded machine
    unblock();
    expect(await stuck).toBe("late");
  });

  it("never releases a lock it no longer owns (fencing token)", async () => {
    const slow = cache({ lockTtlMs: 300 });
    const fast = cache({ lockTtlMs: 5_000 });
    let finishSlow: () => void = () => {};
    const slowRun = slow.withRefreshLock(KEY, () => new Promise<void>((resolve) => (finishSlow = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    let fastHolds: () => void = () => {};
    const fastRun = fast.withRefreshLock(KEY, () => new Promise<void>((resolve) => (fastHolds = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 600)); // slow's lock expired; fast took it
    finishSlow();
    await slowRun;
    expect(await raw.keys("portico:*lock")).toHaveLength(1); // fast's lock survived slow's release
    fastHolds();
    await fastRun;
    expect(await raw.keys("portico:*lock")).toHaveLength(0);
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
    const store = createRedisTokenCache({
      redis: { port: own.port, host: "127.0.0.1" },
      hooks: {
        onFallback: (event) => {
          events.push(`fallback:${event.reason}`);
          messages.push(JSON.stringify(event), event.error?.message ?? "");
        },
        onRedisError: (event) => messages.push(event.error.message, String(event.error.stack)),
        onRecover: () => events.push("recover"),
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
      await store.set(KEY, token(5_000, "written-while-down"));
      expect((await store.get(KEY))?.accessToken).toBe("written-while-down");

      await own.start();
      await expect.poll(() => events.includes("recover"), { timeout: 10_000 }).toBe(true);
      await store.set(KEY, token(6_000, "after-recovery"));
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

  it("never fails, nor waits long, when Redis is unreachable from the start", async () => {
    const port = await freePort();
    const reasons: string[] = [];
    const store = createRedisTokenCache({
      redis: { port, host: "127.0.0.1", connectTimeout: 300 },
      hooks: { onFallback: (event) => reasons.push(event.reason) },
    });
    try {
      const started = Date.now();
      expect(await store.get(KEY)).toBeUndefined();
      const counter = { fetches: 0 };
      const result = await store.withRefreshLock(KEY, refresher(store, counter));
      expect(result.accessToken).toContain(CANARY);
      expect((await store.get(KEY))?.accessToken).toBe(result.accessToken);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(reasons).toEqual(["unavailable"]);
    } finally {
      await store.close();
    }
  });
});
