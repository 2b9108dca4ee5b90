import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TokenRefreshEvent } from "@portico/core";
import { startSandbox, type RunningSandbox } from "@portico/sandbox";
import { clientCredentials, createRedisTokenCache, nodeFetcher } from "../src/index.js";
import { deferred, recorder } from "./support/events.js";
import { readBody, startHttpServer } from "./support/http-server.js";
import { startRedisCluster, type ClusterNodeProcess, type RedisCluster } from "./support/redis-cluster.js";
import { startRedisSentinel, type RedisSentinelSetup } from "./support/redis-sentinel.js";
import { askRedis, monitorRedis, PATIENT_REDIS, pollUntil, startRedis, type RedisServer } from "./support/redis.js";
import { ensureBuilt, spawnWorker, type Worker } from "./support/workers.js";

/**
 * Real processes, real Redis topologies (one node; a 3-primary cluster with a replica each; a
 * primary, a replica and three Sentinels) and the IMS sandbox, called through the generated IMS
 * client with 401 → refresh → replay on. Nothing here waits for a stretch of time to "let something
 * happen", and no assertion depends on how fast the machine is: the fleet starts its load on a
 * signal; token requests are compared with the tokens the fleet's processes actually used (a fleet
 * that shares adopts one token per cycle in every process, and requests it once); a primary is
 * killed once the sandbox has issued a given number of tokens, and its failover is waited for on the
 * servers' own state; the pacing run is judged window by window on the sandbox's own count. The 20 s
 * loads are workload, not something an assertion times; the figures are printed for the record.
 */

/** The parts of the IMS sandbox's `control` these tests use. */
interface ImsControl {
  readonly tokenUrl: string;
  readonly audience: string;
  readonly claimNamespace: string;
  readonly clients: Record<"acmeM2m" | "globexM2m", { clientId: string; clientSecret: string; tenantId: string }>;
  readonly tokenLifetimeSeconds: number;
  readonly tokenRequests: { total: number; byTenant: Record<string, number> };
  readonly rateLimitWindows: ReadonlyMap<string, readonly { start: number; count: number }[]>;
  resetTokenRequests(): void;
}

/** What a load worker reports at the end (see fixtures/fleet-worker.mjs). */
interface WorkerResult {
  readonly calls: number;
  readonly ok: Record<string, number>;
  readonly errors: Record<string, number>;
  /** The first message of each error code. */
  readonly errorExamples: Record<string, string>;
  /** Attempts retried, by what ended them. */
  readonly retries: Record<string, number>;
  /** The longest the process's event loop was held up during the load. */
  readonly longestStallMs: number;
  readonly attempts: {
    statuses: Record<string, number>;
    expiredTokenUses: number;
    crossTenantTokens: number;
    unexplained401: number;
    slowestMs: number;
    /** The longest an attempt took from its token being handed out to its response headers. */
    slowestTripMs: number;
    examples: unknown[];
  };
  /** Per tenant: distinct tokens adopted, tokens fetched, and each adopted token's [expiresAt, lifetimeMs]. */
  readonly tokens: Record<string, { adopted: number; fetched: number; lives: [number, number][] }>;
  readonly redisEvents: { fallbacks: { at: number; reason: string; operation: string }[]; recoveries: number[] };
  readonly startupMs: number;
}

const TOKEN_LIFETIME_SECONDS = 5;
const FLEET = 8;
const CONCURRENCY = 200;
const DURATION_MS = 20_000;

let redis: RedisServer;
let cluster: RedisCluster;
let sentinel: RedisSentinelSetup;
let sandbox: RunningSandbox<"ims">;
let ims: ImsControl;
let workers: Worker[] = [];
let raw: Redis;

beforeAll(async () => {
  ensureBuilt();
  [redis, cluster, sentinel] = await Promise.all([startRedis(), startRedisCluster({ primaries: 3, replicasPerPrimary: 1 }), startRedisSentinel()]);
  sandbox = await startSandbox({
    apis: ["ims"],
    options: { ims: { tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS, rateLimitPerMinute: 100_000_000 } },
  });
  ims = sandbox.apis.ims.control as unknown as ImsControl;
  raw = new Redis(redis.port, "127.0.0.1", PATIENT_REDIS);
}, 300_000);

afterEach(async () => {
  for (const worker of workers) worker.kill("SIGKILL");
  await Promise.all(workers.map((worker) => worker.exited));
  workers = [];
  sandbox.faults("ims").clear();
  ims.resetTokenRequests();
  if (raw.status === "ready") await raw.flushall();
  // Each run's processes share a new encryption key: entries an earlier run left are cleared.
  await flushTopologies();
});

afterAll(async () => {
  raw?.disconnect();
  await sandbox?.stop();
  await Promise.all([redis?.stop(), cluster?.stop(), sentinel?.stop()]);
  await nodeFetcher.close();
});

type RedisConfig =
  | { kind: "url"; url: string }
  | { kind: "cluster"; nodes: readonly { host: string; port: number }[] }
  | { kind: "sentinel"; sentinels: readonly { host: string; port: number }[]; name: string };

const single = (): RedisConfig => ({ kind: "url", url: redis.url });
const onCluster = (): RedisConfig => ({ kind: "cluster", nodes: cluster.startupNodes });
const onSentinel = (): RedisConfig => ({ kind: "sentinel", sentinels: sentinel.sentinels, name: sentinel.name });

function baseConfig(target: RedisConfig = single(), control: ImsControl = ims, api: string = sandbox.urls.ims.api): Record<string, unknown> {
  const tenant = (name: "acmeM2m" | "globexM2m") => ({
    id: control.clients[name].tenantId,
    clientId: control.clients[name].clientId,
    clientSecret: control.clients[name].clientSecret,
  });
  return {
    redis: target,
    tokenUrl: control.tokenUrl,
    apiUrl: api,
    audience: control.audience,
    claimNamespace: control.claimNamespace,
    encryptionKey: randomBytes(32).toString("hex"),
    tenants: [tenant("acmeM2m"), tenant("globexM2m")],
  };
}

/** A fleet's run: started on GO, over when every worker reported. */
interface FleetRun {
  readonly results: WorkerResult[];
  /** From GO to the last report, on the sandbox's clock. */
  readonly runMs: number;
  readonly goAt: number;
}

/** Spawns `FLEET` load workers, starts them together, and runs `during` while they load. */
async function runFleet(config: Record<string, unknown>, during?: () => Promise<void>): Promise<FleetRun> {
  workers = Array.from({ length: FLEET }, () => spawnWorker(config));
  await Promise.all(workers.map((worker) => worker.waitFor((line) => line === "READY")));
  const goAt = sandbox.clock.now();
  for (const worker of workers) worker.send("GO");
  const reports = Promise.all(workers.map(async (worker) => JSON.parse((await worker.waitFor((line) => line.startsWith("RESULT "))).slice(7)) as WorkerResult));
  await during?.();
  const results = await reports;
  return { results, runMs: sandbox.clock.now() - goAt, goAt };
}

function sum(counts: readonly Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const count of counts) for (const [name, value] of Object.entries(count)) total[name] = (total[name] ?? 0) + value;
  return total;
}

/**
 * What every run must show: no call failed but by a token that expired in flight (every 401 an
 * attempt saw came after the attempt took longer than its token had left when sent, and was
 * replayed with a fresh token; a call fails only when its replay, too, queued past its token's
 * life), and no token was sent expired or to the wrong tenant.
 */
function expectNoCallFailedOnRedis(run: FleetRun): void {
  const { results } = run;
  const errors = sum(results.map((result) => result.errors));
  const examples = Object.assign({}, ...results.map((result) => result.errorExamples)) as Record<string, string>;
  expect(Object.keys(errors).filter((code) => code !== "TOKEN_EXPIRED"), `calls failed: ${JSON.stringify(examples)}; ${describeRun(run)}`).toEqual([]);
  expect(results.reduce((total, result) => total + result.attempts.expiredTokenUses, 0)).toBe(0);
  expect(results.reduce((total, result) => total + result.attempts.crossTenantTokens, 0)).toBe(0);
  expect(results.reduce((total, result) => total + result.attempts.unexplained401, 0)).toBe(0);
  expect(results.flatMap((result) => result.attempts.examples)).toEqual([]);
  // Attempts: 200, and 401 for a token that expired while its call queued (each replayed with a fresh one).
  expect(Object.keys(sum(results.map((result) => result.attempts.statuses))).filter((status) => status !== "200" && status !== "401")).toEqual([]);
  const ok = Object.values(sum(results.map((result) => result.ok))).reduce((total, value) => total + value, 0);
  expect(ok).toBeGreaterThan(0);
}

/** The figures printed for the record: attempts, failed calls, the slowest attempt and trip. */
function describeRun(run: FleetRun): string {
  const calls = run.results.reduce((total, result) => total + result.calls, 0);
  const failed = Object.values(sum(run.results.map((result) => result.errors))).reduce((total, value) => total + value, 0);
  const slowest = Math.max(...run.results.map((result) => result.attempts.slowestMs));
  const retries = sum(run.results.map((result) => result.retries));
  const stalls = run.results.map((result) => result.longestStallMs);
  return `${calls} calls, ${failed} failed ${JSON.stringify(sum(run.results.map((result) => result.errors)))}, attempts ${JSON.stringify(statuses(run))}, retried ${JSON.stringify(retries)}, slowest attempt ${slowest} ms, slowest trip ${slowestTripMs(run)} ms, longest event-loop stall per process ${stalls.join(",")} ms, in ${run.runMs} ms`;
}

/** The longest any attempt of the run took from its token being handed out to its response headers. */
function slowestTripMs(run: FleetRun): number {
  return Math.max(...run.results.map((result) => result.attempts.slowestTripMs));
}

interface TokenFigure {
  readonly requests: number;
  readonly cycles: number;
  /** Token requests per token the fleet used: 1.0 when every process shares each token. */
  readonly perCycle: number;
  /** How many tokens the fleet went through per token lifetime (each token's own, as its whole-second exp made it). */
  readonly cyclesPerLifetime: number;
  /** Token requests per token lifetime: `perCycle × cyclesPerLifetime`. */
  readonly perLifetime: number;
  /** Per process: tokens adopted/fetched. */
  readonly byProcess: string;
}

/**
 * Token requests per tenant against the tokens the fleet used: the distinct tokens its processes
 * adopted for that tenant (each refresh cycle's token, fetched or found in Redis; not the most any
 * one process adopted, since a process may miss one: in a kill run one adopted 5 of the fleet's
 * 6). A perfectly shared fleet requests each once (1.0); processes on their own would request one
 * each (8). Per lifetime: the lifetimes of the tokens the fleet replaced over the time from the
 * first token obtained to the last, so the run's first token is not counted as a whole extra
 * request. Two processes that each requested a token in one cycle pass the first figure (each
 * token was used) and fail the second (two lifetimes' worth of tokens in one).
 */
function tokenFigures(run: FleetRun): Record<string, TokenFigure> {
  const figures: Record<string, TokenFigure> = {};
  for (const name of ["acmeM2m", "globexM2m"] as const) {
    const tenant = ims.clients[name].tenantId;
    const requests = ims.tokenRequests.byTenant[tenant] ?? 0;
    const lives = new Map(run.results.flatMap((result) => result.tokens[tenant]?.lives ?? []));
    const cycles = lives.size;
    const used = [...lives].map(([expiresAt, lifetimeMs]) => ({ obtainedAt: expiresAt - lifetimeMs, lifetimeMs })).sort((a, b) => a.obtainedAt - b.obtainedAt);
    const span = (used.at(-1)?.obtainedAt ?? 0) - (used[0]?.obtainedAt ?? 0);
    const cyclesPerLifetime = used.slice(0, -1).reduce((total, token) => total + token.lifetimeMs, 0) / span;
    figures[name] = {
      requests,
      cycles,
      perCycle: round(requests / cycles),
      cyclesPerLifetime: round(cyclesPerLifetime),
      perLifetime: round((requests / cycles) * cyclesPerLifetime),
      byProcess: run.results.map((result) => `${result.tokens[tenant]?.adopted ?? 0}/${result.tokens[tenant]?.fetched ?? 0}`).join(" "),
    };
  }
  return figures;
}

const round = (value: number): number => Math.round(value * 100) / 100;

function statuses(run: FleetRun): Record<string, number> {
  return sum(run.results.map((result) => result.attempts.statuses));
}

/** Until the sandbox has issued `count` tokens for Acme since the run began: a point mid-run, by the run's own progress. */
function afterTokens(count: number): Promise<void> {
  const acme = ims.clients.acmeM2m.tenantId;
  return pollUntil(async () => (ims.tokenRequests.byTenant[acme] ?? 0) >= count);
}

/**
 * How the fleet came back to Redis after `killedAt`: per worker, its last fallback after the kill
 * and its first recovery after that; the slowest worker's recovery, from the kill.
 */
function recoveryMs(run: FleetRun, killedAt: number): { fellBack: number; recoveredMs: number; unrecovered: string[] } {
  let slowest = 0;
  let fellBack = 0;
  const unrecovered: string[] = [];
  for (const result of run.results) {
    const fallbacks = result.redisEvents.fallbacks.filter((event) => event.at >= killedAt);
    if (fallbacks.length === 0) continue;
    fellBack += 1;
    const last = fallbacks[fallbacks.length - 1]!;
    const recovered = result.redisEvents.recoveries.find((at) => at >= last.at);
    if (recovered === undefined) unrecovered.push(`${last.operation} ${last.reason} ${last.at - killedAt} ms after the kill (${fallbacks.length} fallbacks)`);
    else slowest = Math.max(slowest, recovered - killedAt);
  }
  return { fellBack, recoveredMs: slowest, unrecovered };
}

/**
 * A token endpoint in front of the sandbox's that holds the first token request (never answers
 * it) and says when it has it: the server-side "request received" event. Later requests are
 * forwarded to the sandbox.
 */
async function startTokenGate(target: string) {
  const held = deferred();
  let first = true;
  const server = await startHttpServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      if (first) {
        first = false;
        held.resolve();
        return; // never answered: its sender holds the refresh lock mid-refresh
      }
      const forwarded: Record<string, string> = {};
      for (const name of ["content-type", "accept", "authorization"]) {
        const value = request.headers[name];
        if (typeof value === "string") forwarded[name] = value;
      }
      const answer = await fetch(target, { method: request.method ?? "POST", headers: forwarded, body });
      const headers: Record<string, string> = {};
      for (const name of ["content-type", "cache-control", "date"]) {
        const value = answer.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      response.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
    })();
  });
  return { url: `${server.url}/oauth/token`, held: held.promise, close: () => server.close() };
}

describe("a fleet sharing tokens through Redis, called through the generated IMS client", () => {
  // The lock and the wait for it are far longer than any token request here, so neither can run
  // out on a slow machine: every extra token request would be a failure to share.
  // Each process's 200 calls share 32 slots (16 per tenant client): the rest wait for one before
  // they take a token, so a token's life goes to the trip, not to a queue for a socket. Without
  // them, 1,600 requests in flight on 2 cores take 2–4 s each, and 5 s tokens expire on the way.
  const load = { mode: "load", concurrency: CONCURRENCY, maxConcurrency: 16, durationMs: DURATION_MS, lockTtlMs: 120_000, waitTimeoutMs: 600_000, tokenTimeoutMs: 120_000, callTimeoutMs: 120_000 };

  it("8 processes × 200 concurrent calls for 20 s against a 3-primary Redis Cluster: one token request per token per tenant, none sent expired or to another tenant", async () => {
    const run = await runFleet({ ...baseConfig(onCluster()), ...load });
    const figures = tokenFigures(run);
    console.info(`fleet on a Redis Cluster: ${describeRun(run)}; token requests ${JSON.stringify(figures)}; worker start-up ms ${run.results.map((result) => result.startupMs)}`);
    expectNoCallFailedOnRedis(run);
    // The refresh windows widen with slow attempts no further than 1/12 (soft) and 1/24 (hard) of
    // the lifetime: about one token per lifetime however loaded the machine. An attempt slower
    // than the life its token had left gets a 401 and is replayed with a fresh token; with every
    // trip under half the lifetime, that replay cannot expire on the way, and no call fails.
    const lifetimeMs = TOKEN_LIFETIME_SECONDS * 1000;
    if (slowestTripMs(run) < lifetimeMs / 2) expect(sum(run.results.map((result) => result.errors))).toEqual({});
    for (const figure of Object.values(figures)) {
      // Every process kept calling for 20 s with 5 s tokens: the fleet did refresh.
      expect(figure.cycles).toBeGreaterThanOrEqual(Math.floor(DURATION_MS / lifetimeMs));
      // One token request per token the fleet used, also when some attempts saw their token expire on the way.
      expect(figure.perCycle).toBeLessThanOrEqual(1.1);
      expect(figure.perLifetime).toBeLessThanOrEqual(1.1);
    }
    expect(run.results.flatMap((result) => result.redisEvents.fallbacks)).toEqual([]);
  }, 600_000);

  it("the primary that owns a tenant's slot killed mid-run (SIGKILL): no call fails on Redis, and the fleet is on Redis again once its replica takes over", async () => {
    let killed: ClusterNodeProcess | undefined;
    let killedAt = 0;
    let promotedMs = 0;
    const run = await runFleet({ ...baseConfig(onCluster()), ...load }, async () => {
      await afterTokens(3); // two refresh cycles in: mid-run
      const entry = await tokenKeyOnCluster();
      const node = await cluster.primaryOf(entry);
      killedAt = Date.now();
      node.process.kill("SIGKILL");
      killed = node;
      await cluster.waitForPrimary(entry, node);
      promotedMs = Date.now() - killedAt;
    });
    expect(killed).toBeDefined();
    const recovery = recoveryMs(run, killedAt);
    console.info(`fleet, cluster primary killed: ${describeRun(run)}; replica promoted ${promotedMs} ms after the kill; ${recovery.fellBack} processes fell back, back on Redis ${recovery.recoveredMs} ms after the kill (not back: ${JSON.stringify(recovery.unrecovered)}); token requests ${JSON.stringify(tokenFigures(run))}`);
    // (ioredis retries a command that hit the dead node while the cluster fails over: a process
    // falls back only if that takes longer than its retries.)
    expectNoCallFailedOnRedis(run);
    expect(recovery.unrecovered).toEqual([]); // every process that fell back went back to Redis
  }, 600_000);

  it("a Sentinel failover mid-run: no call fails on Redis, and the fleet follows the promoted replica", async () => {
    let killedAt = 0;
    let promotedMs = 0;
    let entriesAtKill: string[] = [];
    // Whether the fleet stored a token entry on the promoted replica (one it did not hold at the kill).
    let storedAfterPromotion = false;
    let runOver = false;
    let watching: Promise<void> | undefined;
    const run = await runFleet({ ...baseConfig(onSentinel()), ...load }, async () => {
      await afterTokens(3);
      const primary = await sentinel.primary();
      // (An entry lives as long as its token: between one's expiry and its successor's store there may be none.)
      await pollUntil(async () => (entriesAtKill = (await tokenEntries(primary.port)) ?? []).length > 0);
      killedAt = Date.now();
      primary.process.kill("SIGKILL");
      const promoted = await sentinel.waitForFailover(primary);
      promotedMs = Date.now() - killedAt;
      watching = pollUntil(async () => {
        const now = (await tokenEntries(promoted.port)) ?? [];
        storedAfterPromotion = now.some((entry) => !entriesAtKill.includes(entry));
        return storedAfterPromotion || runOver;
      });
    });
    runOver = true;
    await watching;
    const recovery = recoveryMs(run, killedAt);
    console.info(`fleet, Sentinel failover: ${describeRun(run)}; replica promoted ${promotedMs} ms after the kill; ${recovery.fellBack} processes fell back, back on Redis ${recovery.recoveredMs} ms after the kill (not back: ${JSON.stringify(recovery.unrecovered)}); token requests ${JSON.stringify(tokenFigures(run))}`);
    expectNoCallFailedOnRedis(run);
    // The fleet follows the promoted replica: it stored its tokens there (a process that fell back
    // meanwhile went back to Redis).
    expect(storedAfterPromotion).toBe(true);
    expect(recovery.unrecovered).toEqual([]);
  }, 600_000);
});

describe("shared pacing across a fleet", () => {
  /**
   * Calls in flight per process: 8 × 24 over two tenants, 96 per tenant, fewer than a window holds
   * (a window that restarts finds that many calls waiting; past the limit, the ones that find it
   * spent before its first response said when it resets wait briefly and ask again),
   * and enough to fill a window unless a call took longer than 9.6 s.
   */
  const PACED_CONCURRENCY = 24;

  it("8 processes against 100 calls per 10 s per tenant: no 429, and every window of the run used in full", async () => {
    const limit = 100;
    const windowMs = 10_000;
    const paced = await startSandbox({ apis: ["ims"], options: { ims: { rateLimitPerMinute: limit, rateLimitWindowSeconds: windowMs / 1000 } } });
    const control = paced.apis.ims.control as unknown as ImsControl;
    try {
      const durationMs = 30_000;
      workers = Array.from({ length: FLEET }, () =>
        spawnWorker({ ...baseConfig(onCluster(), control, paced.urls.ims.api), mode: "pacing", warm: true, concurrency: PACED_CONCURRENCY, durationMs, lockTtlMs: 120_000, waitTimeoutMs: 600_000, tokenTimeoutMs: 120_000, callTimeoutMs: 120_000 }),
      );
      await Promise.all(workers.map((worker) => worker.waitFor((line) => line === "READY")));
      const goAt = paced.clock.now();
      for (const worker of workers) worker.send("GO");
      const results = await Promise.all(workers.map(async (worker) => JSON.parse((await worker.waitFor((line) => line.startsWith("RESULT "))).slice(7)) as WorkerResult));
      const endAt = paced.clock.now();
      const run: FleetRun = { results, runMs: endAt - goAt, goAt };

      const attempts = statuses(run);
      const report: Record<string, unknown> = {};
      for (const name of ["acmeM2m", "globexM2m"] as const) {
        const tenant = control.clients[name].tenantId;
        const windows = control.rateLimitWindows.get(tenant) ?? [];
        // Throughput against the quota, from the first window begun in the run to the last: the
        // calls of the windows in between over the quota of that stretch of time.
        const inRun = windows.filter((window) => window.start >= goAt);
        const stretch = inRun.length >= 2 ? inRun[inRun.length - 1]!.start - inRun[0]!.start : Number.NaN;
        const calls = inRun.slice(0, -1).reduce((total, window) => total + window.count, 0);
        report[name] = { windows: windows.map((window) => [window.start - goAt, window.count]), throughputOfQuota: round(calls / ((stretch / windowMs) * limit)) };
      }
      console.info(`fleet pacing (100 per 10 s per tenant): attempts ${JSON.stringify(attempts)} in ${run.runMs} ms, errors ${JSON.stringify(sum(results.map((result) => result.errors)))}; ${JSON.stringify(report)}`);
      expect(sum(results.map((result) => result.errors))).toEqual({});
      expect(attempts["429"] ?? 0).toBe(0);
      for (const name of ["acmeM2m", "globexM2m"] as const) {
        const tenant = control.clients[name].tenantId;
        const windows = control.rateLimitWindows.get(tenant) ?? [];
        // The server's own count: no window took more than the limit...
        expect(windows.filter((window) => window.count > limit)).toEqual([]);
        // ...and every window that began and ended while every process was still starting calls took
        // all of it (each process starts calls for `durationMs` from GO; after that a window that
        // opens gets only the calls still waiting, however long the other tenant's last wait lasts).
        const full = windows.filter((window) => window.start >= goAt && window.start + windowMs <= goAt + durationMs);
        expect(full.length).toBeGreaterThanOrEqual(1);
        expect(full.map((window) => window.count)).toEqual(full.map(() => limit));
      }
    } finally {
      for (const worker of workers) worker.kill("SIGKILL");
      await paced.stop();
    }
  }, 600_000);
});

describe("a fleet sharing tokens through one Redis node", () => {
  it("killing the lock holder mid-refresh (SIGKILL): once its lock expires, the others get a token with one refresh", async () => {
    // The lock never expires on its own during the test (and nobody stops waiting for it): the
    // test expires it after the kill, as Redis would at its TTL. So what frees the others can only
    // be the expiry, and no wall-clock window is assumed between start-up, the kill and the expiry.
    const lockTtlMs = 600_000;
    const gate = await startTokenGate(ims.tokenUrl);
    const monitor = await monitorRedis(redis.port);
    try {
      const config = { ...baseConfig(), tokenUrl: gate.url, tenants: (baseConfig().tenants as unknown[]).slice(0, 1), mode: "once", lockTtlMs, waitTimeoutMs: 3_600_000, tokenTimeoutMs: 600_000 };
      workers = Array.from({ length: 4 }, () => spawnWorker(config));
      const holder = await Promise.race(workers.map((worker) => worker.waitFor((line) => line === "FETCH_START").then(() => worker)));
      await gate.held; // the holder's token request is at the endpoint, unanswered: it holds the lock mid-refresh
      // The three others are waiting on that lock: each polls Redis for the token or the lock's end.
      await monitor.until((commands) => new Set(commands.filter((c) => c.command === "mget").map((c) => c.client)).size >= 3);
      const [lock] = await raw.keys("portico:*lock");
      expect(lock).toBeDefined();
      const ttl = await raw.pttl(lock!);
      expect(ttl).toBeGreaterThan(0); // a crashed holder's lock does expire...
      expect(ttl).toBeLessThanOrEqual(lockTtlMs);

      holder.kill("SIGKILL");
      await holder.exited;
      expect(await raw.exists(lock!)).toBe(1); // ...but nobody released it
      await raw.pexpire(lock!, 1); // its TTL runs out

      const survivors = workers.filter((worker) => worker !== holder);
      const lines = await Promise.all(survivors.map((worker) => worker.waitFor((line) => line.startsWith("TOKEN "))));
      expect(lines.map((line) => line.split(" ")[2])).toEqual(["200", "200", "200"]);
      // Exactly one refresh after the holder died, not one per waiting process.
      expect(survivors.flatMap((worker) => worker.lines).filter((line) => line === "FETCH_START")).toHaveLength(1);
    } finally {
      await monitor.close();
      for (const worker of workers) worker.kill("SIGKILL");
      await gate.close();
    }
  }, 300_000);
});

describe("Redis stopped mid-run", () => {
  it("calls keep succeeding with the in-process cache, the hook fires, and Redis is used again when it returns", async () => {
    // Its own IMS sandbox with day-long tokens, and a client clock the test moves into each
    // token's refresh-ahead window: tokens are refreshed exactly when the test says, once while
    // Redis is down and once after it is back, however fast the machine runs the calls between.
    const own = await startRedis();
    const daylong = await startSandbox({ apis: ["ims"] });
    const control = daylong.apis.ims.control as unknown as ImsControl;
    const lifetimeMs = control.tokenLifetimeSeconds * 1000;
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    /**
     * Moves time into the current token's refresh-ahead window (its last 5 minutes), for the client
     * and the sandbox alike: the sandbox then signs new tokens at the new time (a server whose
     * clock stood still would sign the very same token again).
     */
    const intoRefreshWindow = (): void => {
      const step = lifetimeMs - 300_000 + 1_000;
      offset += step;
      daylong.clock.advance(step);
    };
    const events = recorder<string>();
    const refreshes = recorder<TokenRefreshEvent>();
    const cache = createRedisTokenCache({
      redis: { host: "127.0.0.1", port: own.port, ...PATIENT_REDIS },
      hooks: { onFallback: (event) => events.push(`fallback:${event.reason}`), onRecover: () => events.push("recover") },
    });
    const acme = control.clients.acmeM2m;
    const credential = clientCredentials({
      tokenUrl: control.tokenUrl,
      clientId: acme.clientId,
      clientSecret: acme.clientSecret,
      audience: control.audience,
      bodyEncoding: "json",
      cache,
      fetcher: nodeFetcher,
      clock,
      hooks: { onTokenRefresh: (event) => refreshes.push(event) },
    });
    const url = `${daylong.urls.ims.api}/v1/uoms`;
    const statuses = recorder<number>();
    const failures: unknown[] = [];
    /** Resolves after `count` more calls have succeeded. */
    const moreCalls = (count: number): Promise<void> => {
      const from = statuses.items.length;
      return statuses.until((all) => all.length >= from + count);
    };
    let stop = false;
    const loops = Array.from({ length: 20 }, async () => {
      while (!stop) {
        try {
          const { secret } = await credential.authorize({
            url,
            method: "GET",
            operation: "GET /v1/uoms",
            scheme: "oauth2",
            schemeDescriptor: { type: "oauth2", flows: { clientCredentials: { tokenUrl: control.tokenUrl } } },
            scopes: [],
          });
          const response = await nodeFetcher(url, { method: "GET", headers: { authorization: `Bearer ${secret}` } });
          await response.arrayBuffer();
          statuses.push(response.status);
        } catch (error) {
          failures.push(error);
        }
      }
    });
    try {
      await moreCalls(20);
      expect(cache.mode).toBe("redis");
      expect(refreshes.items).toHaveLength(1);

      await own.stop();
      intoRefreshWindow(); // tokens are refreshed while Redis is down
      await refreshes.until((all) => all.length === 2);
      await moreCalls(20);
      expect(cache.mode).toBe("fallback");
      expect(events.items[0]).toMatch(/^fallback:/);

      await own.start();
      await events.first((event) => event === "recover"); // the client reconnected on its own
      intoRefreshWindow();
      await refreshes.until((all) => all.length === 3);
      await moreCalls(20);
      expect(cache.mode).toBe("redis");
      // Redis is used again: the token refreshed after it came back is stored there (it restarted empty).
      const check = new Redis(own.port, "127.0.0.1", PATIENT_REDIS);
      expect(await check.keys("portico:*token")).toHaveLength(1);
      check.disconnect();
    } finally {
      stop = true;
      await Promise.all(loops);
      await cache.close();
      await own.stop();
      await daylong.stop();
    }
    expect(failures).toEqual([]);
    expect(statuses.items.every((status) => status === 200)).toBe(true);
    expect(events.items.filter((event) => event.startsWith("fallback"))).toHaveLength(1);
    expect(refreshes.items.map((event) => event.reason)).toEqual(["initial", "refresh-ahead", "refresh-ahead"]);
    expect(control.tokenRequests.total).toBe(3); // one at the start, one during the outage, one after it
  }, 300_000);
});

/**
 * The Redis key of a token entry on the cluster (either tenant's: the tests kill whichever primary
 * holds it). An entry lives as long as its token: between a token's expiry and its successor's
 * store there may be none for a moment, so this asks until the fleet has stored one.
 */
async function tokenKeyOnCluster(): Promise<string> {
  const client = cluster.client();
  try {
    await client.ping();
    let found: string | undefined;
    await pollUntil(async () => {
      for (const node of client.nodes("master")) {
        [found] = await node.keys("portico:*:token").catch(() => [] as string[]);
        if (found !== undefined) return true;
      }
      return false;
    });
    return found!;
  } finally {
    client.disconnect();
  }
}

/** The (encrypted) token entries a Redis node holds. */
function tokenEntries(port: number): Promise<string[] | undefined> {
  return askRedis(port, async (redis) => {
    const keys = await redis.keys("portico:*:token");
    return (await Promise.all(keys.map((key) => redis.get(key)))).filter((entry): entry is string => entry !== null);
  });
}

/** Empties every live primary of the cluster and the Sentinel set-up. */
async function flushTopologies(): Promise<void> {
  const client = cluster.client();
  try {
    await client.ping();
    await Promise.all(client.nodes("master").map((node) => node.flushall().catch(() => undefined)));
  } finally {
    client.disconnect();
  }
  const primary = await sentinel.primary().catch(() => undefined);
  if (primary !== undefined) await askRedis(primary.port, (redis) => redis.flushall());
}
