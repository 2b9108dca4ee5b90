import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryPaceStore, type PaceStore, type WindowReport } from "@portico/core";
import { createRedisPaceStore, type RedisPaceStore } from "../src/index.js";
import { recorder } from "./support/events.js";
import { startRedisCluster, type RedisCluster } from "./support/redis-cluster.js";
import { PATIENT_REDIS, startRedis, type RedisServer } from "./support/redis.js";

/**
 * The Redis pace store against its public API, on one node and on a 3-primary Redis Cluster: it
 * answers exactly as the in-process store does for the same operations (every answer compared on
 * generated sequences), takes each request of a window once across concurrent processes' stores,
 * keeps a pace key's state in one slot under a hashed name, lets idle keys expire, and answers from
 * this process's memory when Redis is gone. Every time is given (`now`): nothing waits on a clock.
 */

let single: RedisServer;
let cluster: RedisCluster;

beforeAll(async () => {
  [single, cluster] = await Promise.all([startRedis(), startRedisCluster({ primaries: 3 })]);
}, 300_000);

afterAll(async () => {
  await Promise.all([single?.stop(), cluster?.stop()]);
});

interface Topology {
  readonly name: string;
  /** A client for the test's own look at the keys. */
  raw(): Redis | Cluster;
  /** A store as a fleet process would make one. */
  store(options?: Parameters<typeof createRedisPaceStore>[1]): RedisPaceStore;
}

const topologies: Topology[] = [
  {
    name: "one node",
    raw: () => new Redis(single.port, "127.0.0.1", PATIENT_REDIS),
    store: (options) => createRedisPaceStore({ host: "127.0.0.1", port: single.port, ...PATIENT_REDIS }, options),
  },
  {
    name: "a 3-primary Redis Cluster",
    raw: () => cluster.client(),
    store: (options) => createRedisPaceStore({ cluster: cluster.startupNodes, options: { redisOptions: PATIENT_REDIS } }, options),
  },
];

/** A small deterministic generator (mulberry32): the same sequences on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Operation =
  | { readonly op: "reserve"; readonly key: string; readonly now: number }
  | { readonly op: "record"; readonly key: string; readonly report: WindowReport; readonly now: number }
  | { readonly op: "spend"; readonly key: string; readonly cost: number; readonly max: number; readonly now: number };

/** Operations on two keys with time moving forward by uneven steps, windows that reset, reports out of order, budgets that run out. */
function sequence(seed: number, length: number): Operation[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  let now = 1_765_000_000_000 + Math.floor(next() * 1_000);
  const operations: Operation[] = [];
  for (let index = 0; index < length; index += 1) {
    now += pick([0, 0, 1, 7, 250, 999, 1_000, 1_500, 4_000, 20_000, 61_000]);
    const key = pick(["https://api.example.com fp-a", "https://api.example.com fp-b"]);
    const kind = next();
    if (kind < 0.5) operations.push({ op: "reserve", key, now });
    else if (kind < 0.75) {
      const resetAt = now + pick([-500, 0, 400, 1_000, 1_700, 5_000, 10_000]) + pick([0, 0.5]);
      const limit = pick([undefined, 3, 5, 10]);
      const windowMs = pick([undefined, undefined, 1_000, 10_000]);
      const report: WindowReport = { remaining: Math.floor(next() * 6), resetAt, ...(limit !== undefined ? { limit } : {}), ...(windowMs !== undefined ? { windowMs } : {}) };
      operations.push({ op: "record", key, report, now });
    } else {
      operations.push({ op: "spend", key, cost: pick([0, 1, 2, 5, 12, 40]), max: pick([10, 30]), now });
    }
  }
  return operations;
}

async function apply(store: PaceStore, operation: Operation): Promise<number | undefined> {
  switch (operation.op) {
    case "reserve":
      return store.reserve(operation.key, operation.now);
    case "record":
      await store.record(operation.key, operation.report, operation.now);
      return undefined;
    case "spend":
      return store.spend(operation.key, operation.cost, operation.max, operation.now);
  }
}

describe.each(topologies)("createRedisPaceStore on $name", (topology) => {
  it("answers every operation exactly as the in-process store does", async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const store = topology.store({ prefix: `semantics-${seed}:` });
      const memory = createMemoryPaceStore();
      const answers = { redis: [] as (number | undefined)[], memory: [] as (number | undefined)[] };
      try {
        for (const operation of sequence(seed, 150)) {
          answers.redis.push(await apply(store, operation));
          answers.memory.push(await apply(memory, operation));
        }
        expect(store.mode).toBe("redis");
      } finally {
        await store.close();
      }
      expect(answers.redis).toEqual(answers.memory);
      // The sequences do reach every branch: waits for a window, waits for credits, refusals.
      expect(answers.memory.some((answer) => answer !== undefined && answer > 0 && Number.isFinite(answer))).toBe(true);
      expect(answers.memory).toContain(Number.POSITIVE_INFINITY);
    }
  });

  it("hands each request of a window out once, across 8 stores reserving at the same time", async () => {
    const stores = Array.from({ length: 8 }, () => topology.store({ prefix: "concurrent:" }));
    const key = "https://api.example.com fp-concurrent";
    const now = 1_765_000_000_000;
    try {
      await stores[0]!.record(key, { remaining: 100, resetAt: now + 10_000, limit: 100 }, now);
      const answers = await Promise.all(stores.flatMap((store) => Array.from({ length: 40 }, () => store.reserve(key, now + 1))));
      expect(answers.filter((wait) => wait === 0)).toHaveLength(100);
      expect(answers.filter((wait) => wait > 0)).toEqual(Array.from({ length: 220 }, () => 9_999));
      // The window resets: the limit the responses stated goes out again, once each; until a
      // response says when this window ends, the calls past it wait 250 ms and ask again, as in memory.
      const next = await Promise.all(stores.flatMap((store) => Array.from({ length: 25 }, () => store.reserve(key, now + 10_000))));
      expect(next.filter((wait) => wait === 0)).toHaveLength(100);
      expect(next.filter((wait) => wait !== 0)).toEqual(Array.from({ length: 100 }, () => 250));
      await stores[3]!.record(key, { remaining: 0, resetAt: now + 20_000, limit: 100 }, now + 10_001);
      expect(await Promise.all(stores.map((store) => store.reserve(key, now + 10_002)))).toEqual(Array.from({ length: 8 }, () => 9_998));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("spends a credit budget once across stores spending at the same time", async () => {
    const stores = Array.from({ length: 4 }, () => topology.store({ prefix: "credits:" }));
    const now = 1_765_000_000_000;
    try {
      const answers = await Promise.all(stores.flatMap((store) => Array.from({ length: 10 }, () => store.spend("https://api.example.com fp-credits", 3, 60, now))));
      expect(answers.filter((wait) => wait === 0)).toHaveLength(20);
      expect(new Set(answers.filter((wait) => wait > 0))).toEqual(new Set([60_000]));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("keeps one pace key in one slot under a hashed name, and lets idle keys expire", async () => {
    const raw = topology.raw();
    const store = topology.store({ prefix: "ttl:", idleTtlMs: 30_000 });
    const key = "https://api.example.com fp-ttl";
    const now = Date.now();
    try {
      await store.record(key, { remaining: 5, resetAt: now + 10_000, limit: 5 }, now);
      await store.spend(key, 2, 10, now);
      const names = await keysOf(raw, "ttl:*");
      expect(names).toHaveLength(2);
      for (const name of names) expect(name).not.toContain("api.example.com");
      const slots = await Promise.all(names.map((name) => raw.call("CLUSTER", "KEYSLOT", name).catch(() => hashTag(name))));
      expect(new Set(slots).size).toBe(1);
      const window = names.find((name) => name.endsWith(":window"))!;
      const spend = names.find((name) => name.endsWith(":spend"))!;
      // Until the window resets plus the idle time, counted from `now` (the write came after it).
      const windowTtl = await raw.pttl(window);
      expect(windowTtl).toBeGreaterThan(0);
      expect(windowTtl).toBeLessThanOrEqual(10_000 + 30_000);
      const spendTtl = await raw.pttl(spend);
      expect(spendTtl).toBeGreaterThan(0);
      expect(spendTtl).toBeLessThanOrEqual(60_000);
    } finally {
      await store.close();
      raw.disconnect();
    }
  });
});

describe("createRedisPaceStore without Redis", () => {
  it("paces this process from its own memory, fires onFallback once, and never fails a call", async () => {
    const own = await startRedis();
    const events = recorder<string>();
    const store = createRedisPaceStore(
      { host: "127.0.0.1", port: own.port, ...PATIENT_REDIS },
      { hooks: { onFallback: (event) => events.push(`fallback:${event.reason}:${event.operation}`), onRecover: () => events.push("recover") } },
    );
    const key = "https://api.example.com fp-down";
    const now = 1_765_000_000_000;
    try {
      await store.record(key, { remaining: 2, resetAt: now + 5_000, limit: 2 }, now);
      expect(await store.reserve(key, now)).toBe(0);
      await own.stop();
      // Redis is gone: this process's copy of the window (recorded while Redis answered) paces it.
      expect(await store.reserve(key, now)).toBe(0);
      expect(await store.reserve(key, now)).toBe(0);
      expect(await store.reserve(key, now)).toBe(5_000);
      expect(store.mode).toBe("fallback");
      expect(await store.spend(key, 5, 4, now)).toBe(Number.POSITIVE_INFINITY);
      expect(events.items.filter((event) => event.startsWith("fallback"))).toHaveLength(1);
      await own.start();
      await events.first((event) => event === "recover");
      expect(await store.reserve(key, now)).toBe(0); // Redis restarted empty: no window known
      expect(store.mode).toBe("redis");
    } finally {
      await store.close();
      await own.stop();
    }
  });

  it("refuses options it cannot use, naming the fix", () => {
    expect(() => createRedisPaceStore(undefined as never)).toThrow(/the Redis to use is required/);
    expect(() => createRedisPaceStore("localhost:6379")).toThrow(/redis:\/\/ or rediss:\/\/ URL/);
    expect(() => createRedisPaceStore("redis://127.0.0.1:1", { prefix: "a{b}:" })).toThrow(/without "\{" or "\}"/);
    expect(() => createRedisPaceStore("redis://127.0.0.1:1", { idleTtlMs: 0 })).toThrow(/"idleTtlMs" must be a positive integer/);
    expect(() => createRedisPaceStore({ cluster: [] })).toThrow(/at least one start-up node/);
  });
});

/** Every key matching `pattern`, from every primary of a cluster or the one node. */
async function keysOf(raw: Redis | Cluster, pattern: string): Promise<string[]> {
  if (raw instanceof Cluster) {
    await raw.ping(); // connected: the cluster's nodes are known
    const lists = await Promise.all(raw.nodes("master").map((node) => node.keys(pattern)));
    return lists.flat();
  }
  return raw.keys(pattern);
}

/** On one node (no CLUSTER command): the hash tag itself stands for the slot. */
function hashTag(name: string): string {
  return name.slice(name.indexOf("{"), name.indexOf("}") + 1);
}
