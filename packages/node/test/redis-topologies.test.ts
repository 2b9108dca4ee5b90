import { createHash, randomBytes } from "node:crypto";
import { Redis, type Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CachedToken } from "@portico/core";
import { createRedisTokenCache, SAFE_REDIS_OPTIONS, type RedisTokenCache, type RedisTokenCacheOptions } from "../src/index.js";
import { recorder } from "./support/events.js";
import { startRedisCluster, type ClusterNodeProcess, type RedisCluster } from "./support/redis-cluster.js";
import { startRedisSentinel, type RedisSentinelSetup } from "./support/redis-sentinel.js";
import { askRedis, monitorRedis, PATIENT_REDIS } from "./support/redis.js";

/**
 * The shared token cache on managed topologies, through its public API: a Redis Cluster (3
 * primaries, a replica each) with a slot migrated under it and a primary killed, and a
 * Sentinel-managed primary failed over. What is asserted is what a fleet relies on: one slot per
 * entry, redirects followed without falling back, and after a failover no token of another key and
 * none past its expiry. The failovers are waited for on the servers' own state, never on a clock.
 */

let cluster: RedisCluster;
let sentinel: RedisSentinelSetup;

beforeAll(async () => {
  [cluster, sentinel] = await Promise.all([startRedisCluster({ primaries: 3, replicasPerPrimary: 1 }), startRedisSentinel()]);
}, 300_000);

afterAll(async () => {
  await Promise.all([cluster?.stop(), sentinel?.stop()]);
});

const MINUTES = 60_000;
const key = (tenant: string): string => `portico:token:v1:["client_credentials","https://auth.example/oauth/token","cli_1","aud","","${tenant}",[]]`;

function token(tenant: string, lifetimeMs = 10 * MINUTES): CachedToken {
  const now = Date.now();
  return { accessToken: `${tenant}-${randomBytes(6).toString("hex")}`, obtainedAt: now, expiresAt: now + lifetimeMs, tenant };
}

function clusterCache(options: Partial<RedisTokenCacheOptions> = {}): RedisTokenCache {
  // Patient per-node timeouts, so only what the test does to the cluster makes a command fail.
  return createRedisTokenCache({ redis: { cluster: cluster.startupNodes, options: { redisOptions: PATIENT_REDIS } }, ...options });
}

/** The Redis key names of a cache key's entry, found on whichever primary holds them. */
async function entryKeys(raw: Cluster): Promise<string[]> {
  await raw.ping();
  return (await Promise.all(raw.nodes("master").map((node) => node.keys("portico:*")))).flat();
}

describe("the token cache on a Redis Cluster", () => {
  it("keeps a token and its lock in one slot, spreads tenants over the primaries, and shares one refresh", async () => {
    const caches = [clusterCache(), clusterCache()];
    const raw = cluster.client();
    try {
      const tenants = Array.from({ length: 12 }, (_, index) => `tenant-${index}`);
      for (const tenant of tenants) await caches[0]!.set(key(tenant), token(tenant));
      for (const tenant of tenants) expect((await caches[1]!.get(key(tenant)))?.tenant).toBe(tenant);
      const names = await entryKeys(raw);
      expect(names).toHaveLength(12);
      const owners = new Set(await Promise.all(tenants.map((tenant) => cluster.primaryOf(tokenName(names, tenant)).then((node) => node.port))));
      expect(owners.size).toBeGreaterThan(1); // not every tenant on one node

      // A refresh across two processes' caches: the lock and the token are in one slot (the script
      // that takes the lock reads the token too: a CROSSSLOT error would fall back).
      let fetches = 0;
      const refresh = (cache: RedisTokenCache) => async () => {
        const stored = await cache.get(key("fresh"));
        if (stored !== undefined) return stored;
        fetches += 1;
        const fresh = token("fresh");
        await cache.set(key("fresh"), fresh);
        return fresh;
      };
      const [first, second] = await Promise.all(caches.map((cache) => cache.withRefreshLock(key("fresh"), refresh(cache))));
      expect(first).toEqual(second);
      expect(fetches).toBe(1);
      expect(caches.map((cache) => cache.mode)).toEqual(["redis", "redis"]);
    } finally {
      raw.disconnect();
      await Promise.all(caches.map((cache) => cache.close()));
    }
  });

  it("follows ASK while a tenant's slot migrates and MOVED once it has moved, without falling back", async () => {
    const events = recorder<string>();
    const hooks = { onFallback: () => events.push("fallback") };
    const writer = clusterCache({ hooks });
    const reader = clusterCache({ hooks });
    const tenant = "migrating";
    // Learn the entry's slot and owner from a first write, then clear it: the migration starts empty.
    await writer.set(key(tenant), token(tenant));
    const raw = cluster.client();
    const name = tokenName(await entryKeys(raw), tenant);
    const slot = Number(await raw.call("CLUSTER", "KEYSLOT", name));
    const source = await cluster.primaryOf(name);
    const target = (await primaries()).find((node) => node !== source)!;
    await writer.delete(key(tenant));
    const monitor = await monitorRedis(target.port);
    try {
      await askRedis(target.port, (redis) => redis.call("CLUSTER", "SETSLOT", String(slot), "IMPORTING", source.id));
      await askRedis(source.port, (redis) => redis.call("CLUSTER", "SETSLOT", String(slot), "MIGRATING", target.id));
      // Not on the source any more: the source answers ASK, and the client asks the target.
      const stored = token(tenant);
      await writer.set(key(tenant), stored);
      await monitor.until((commands) => commands.some((command) => command.command === "asking"));
      expect(await reader.get(key(tenant))).toEqual(stored);
      // The slot is handed over: the source now answers MOVED.
      for (const node of await primaries()) await askRedis(node.port, (redis) => redis.call("CLUSTER", "SETSLOT", String(slot), "NODE", target.id));
      await askRedis(source.port, (redis) => redis.call("CLUSTER", "SETSLOT", String(slot), "NODE", target.id));
      expect(await reader.get(key(tenant))).toEqual(stored);
      expect((await cluster.primaryOf(name)).port).toBe(target.port);
      expect(events.items).toEqual([]);
    } finally {
      await monitor.close();
      raw.disconnect();
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it("a killed primary: calls keep their tokens while the replica takes over, then the replicated token is read back", async () => {
    const events = recorder<string>();
    const cache = clusterCache({ hooks: { onFallback: () => events.push("fallback"), onRecover: () => events.push("recover") } });
    const other = clusterCache();
    const raw = cluster.client();
    try {
      const tenant = "failover";
      const before = token(tenant);
      await cache.set(key(tenant), before);
      const name = tokenName(await entryKeys(raw), tenant);
      const primary = await cluster.primaryOf(name);
      // The write reached the replica before the crash (WAIT): a failover keeps what was replicated.
      await askRedis(primary.port, (redis) => redis.call("WAIT", "1", "0"));
      primary.process.kill("SIGKILL");
      await primary.process.exited;

      // While the cluster fails over, this process still has its own copy: the call is not failed.
      expect(await cache.get(key(tenant))).toEqual(before);
      const promoted = await cluster.waitForPrimary(name, primary);
      expect(promoted.port).not.toBe(primary.port);
      // Another process (nothing of its own) reads the token from the promoted replica.
      await expect.poll(() => other.get(key(tenant))).toEqual(before);
      // Writes go to the new primary; another key never answers with this tenant's token.
      const after = token(tenant);
      await other.set(key(tenant), after);
      expect(await cache.get(key(tenant))).toEqual(after);
      expect(await other.get(key("someone-else"))).toBeUndefined();
      // An entry is never served past its expiry, whatever the failover left behind.
      const expired = { ...token("expired", 2 * MINUTES), expiresAt: Date.now() - 1 };
      await other.set(key("expired"), expired);
      expect(await cache.get(key("expired"))).toBeUndefined();
      if (events.items.includes("fallback")) await events.first((event) => event === "recover");
      expect(cache.mode).toBe("redis");
    } finally {
      raw.disconnect();
      await Promise.all([cache.close(), other.close()]);
    }
  });
});

describe("the token cache behind Redis Sentinel", () => {
  it("follows a failover: falls back while the primary is gone, then writes to the promoted replica", async () => {
    const events = recorder<string>();
    const target = { sentinels: [...sentinel.sentinels], name: sentinel.name, ...PATIENT_REDIS, sentinelCommandTimeout: 60_000 };
    // This process's own client (with the safe settings), so the test knows when it saw the primary go.
    const client = new Redis({ ...SAFE_REDIS_OPTIONS, ...target });
    const cache = createRedisTokenCache({ redis: client, hooks: { onFallback: () => events.push("fallback"), onRecover: () => events.push("recover") } });
    const other = createRedisTokenCache({ redis: target });
    try {
      const before = token("sentinel");
      await cache.set(key("sentinel"), before);
      expect(await other.get(key("sentinel"))).toEqual(before);
      const primary = await sentinel.primary();
      await askRedis(primary.port, (redis) => redis.call("WAIT", "1", "0"));
      const closed = new Promise((resolve) => client.once("close", resolve));
      primary.process.kill("SIGKILL");
      await primary.process.exited;
      await closed;

      expect(await cache.get(key("sentinel"))).toEqual(before); // its own copy while Redis is gone
      const promoted = await sentinel.waitForFailover(primary);
      expect(promoted.port).not.toBe(primary.port);
      const after = token("sentinel");
      // Another process writes a newer token once its client has found the new primary.
      await expect.poll(async () => {
        await other.set(key("sentinel"), after);
        const [name] = (await askRedis(promoted.port, (redis) => redis.keys("portico:*token"))) ?? [];
        return name === undefined ? undefined : askRedis(promoted.port, (redis) => redis.get(name));
      }).toContain(after.accessToken);
      // This process's client finds the new primary through the Sentinels on its own.
      expect(events.items[0]).toBe("fallback");
      await events.first((event) => event === "recover");
      expect(await cache.get(key("sentinel"))).toEqual(after);
      expect(cache.mode).toBe("redis");
    } finally {
      await Promise.all([cache.close(), other.close()]);
      client.disconnect();
    }
  });
});

/** The live primaries, by their cluster id. */
async function primaries(): Promise<ClusterNodeProcess[]> {
  const raw = cluster.client();
  try {
    await raw.ping();
    const ports = new Set(raw.nodes("master").map((node) => node.options.port));
    return cluster.nodes.filter((node) => ports.has(node.port));
  } finally {
    raw.disconnect();
  }
}

/** The token entry's Redis key among `names` for `tenant`'s cache key (named by its hash). */
function tokenName(names: readonly string[], tenant: string): string {
  const hash = createHash("sha256").update(key(tenant)).digest("hex");
  const name = names.find((candidate) => candidate.includes(`{${hash}}`) && candidate.endsWith(":token"));
  if (name === undefined) throw new Error(`no entry for ${tenant} among ${names.length} keys`);
  return name;
}
