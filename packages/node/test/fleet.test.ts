import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TokenRefreshEvent } from "@portico/core";
import { startSandbox, type RunningSandbox } from "@portico/sandbox";
import { clientCredentials, createRedisTokenCache, nodeFetcher } from "../src/index.js";
import { deferred, recorder } from "./support/events.js";
import { readBody, startHttpServer } from "./support/http-server.js";
import { monitorRedis, PATIENT_REDIS, startRedis, type RedisServer } from "./support/redis.js";
import { ensureBuilt, spawnWorker, type Worker } from "./support/workers.js";

/**
 * Real processes, a real Redis and the IMS sandbox. Nothing here waits for a stretch of time to
 * "let something happen", and no assertion depends on how fast the machine is: the fleet starts
 * its load on a signal, token requests are counted against the run's length on the sandbox's own
 * clock, a lock holder is killed once its token request is known to be held at the endpoint and
 * the others are seen waiting, and the outage test moves the client's clock instead of sleeping
 * into the refresh window. The 20 s load is workload, not something an assertion times.
 */

/** The parts of the IMS sandbox's `control` these tests use. */
interface ImsControl {
  readonly tokenUrl: string;
  readonly audience: string;
  readonly claimNamespace: string;
  readonly clients: Record<"acmeM2m" | "globexM2m", { clientId: string; clientSecret: string; tenantId: string }>;
  readonly tokenLifetimeSeconds: number;
  readonly tokenRequests: { total: number; byTenant: Record<string, number> };
  resetTokenRequests(): void;
}

const TOKEN_LIFETIME_SECONDS = 5;
let redis: RedisServer;
let sandbox: RunningSandbox<"ims">;
let ims: ImsControl;
let workers: Worker[] = [];
let raw: Redis;

beforeAll(async () => {
  ensureBuilt();
  redis = await startRedis();
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
});

afterAll(async () => {
  raw?.disconnect();
  await sandbox?.stop();
  await redis?.stop();
  await nodeFetcher.close();
});

function baseConfig(): Record<string, unknown> {
  const tenant = (name: "acmeM2m" | "globexM2m") => ({
    id: ims.clients[name].tenantId,
    clientId: ims.clients[name].clientId,
    clientSecret: ims.clients[name].clientSecret,
  });
  return {
    redisUrl: redis.url,
    tokenUrl: ims.tokenUrl,
    apiUrl: sandbox.urls.ims.api,
    audience: ims.audience,
    claimNamespace: ims.claimNamespace,
    encryptionKey: randomBytes(32).toString("hex"),
    tenants: [tenant("acmeM2m"), tenant("globexM2m")],
  };
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

describe("a fleet sharing tokens through Redis", () => {
  it("8 processes × 200 concurrent calls for 20 s: about one token request per refresh cycle per tenant, not one per process", async () => {
    const durationMs = 20_000;
    // The lock and the wait for it are far longer than any token request here, so neither can run
    // out on a slow machine: every extra token request would be a failure to share.
    const config = { ...baseConfig(), mode: "load", concurrency: 200, durationMs, lockTtlMs: 120_000, waitTimeoutMs: 600_000, tokenTimeoutMs: 120_000 };
    workers = Array.from({ length: 8 }, () => spawnWorker(config));
    await Promise.all(workers.map((worker) => worker.waitFor((line) => line === "READY")));
    // The run, on the sandbox's clock (the server's): from the signal to the last report.
    const goAt = sandbox.clock.now();
    for (const worker of workers) worker.send("GO");
    const results = await Promise.all(workers.map(async (worker) => JSON.parse((await worker.waitFor((line) => line.startsWith("RESULT "))).slice(7))));
    const runMs = sandbox.clock.now() - goAt;

    const calls = results.reduce((sum, result) => sum + result.calls, 0);
    const ok = results.reduce((sum, result) => sum + (result.statuses["200"] ?? 0), 0);
    const errors: Record<string, number> = {};
    for (const result of results) for (const [code, count] of Object.entries(result.errors as Record<string, number>)) errors[code] = (errors[code] ?? 0) + count;
    expect(errors).toEqual({});
    const statuses: Record<string, number> = {};
    for (const result of results) for (const [status, count] of Object.entries(result.statuses as Record<string, number>)) statuses[status] = (statuses[status] ?? 0) + count;
    expect(ok).toBeGreaterThan(0);
    // Every call got an answer; the only refusals allowed are tokens that expired while their call
    // sat in a queue longer than the token had left when sent (1,600 calls in flight, 5 s tokens).
    expect(Object.keys(statuses).filter((status) => status !== "200" && status !== "401")).toEqual([]);
    expect(results.flatMap((result) => result.unexplained)).toEqual([]);

    // Core refreshes ahead in the soft window (half the lifetime), so one token per half-lifetime
    // per tenant across the fleet, counted over the run as long as it lasted on the server's
    // clock (a busy machine stretches it; it never squeezes it). Without sharing: 8× that.
    const lifetimeMs = TOKEN_LIFETIME_SECONDS * 1000;
    const allowed = Math.ceil(runMs / (lifetimeMs / 2)) + 1;
    for (const name of ["acmeM2m", "globexM2m"] as const) {
      const requests = ims.tokenRequests.byTenant[ims.clients[name].tenantId] ?? 0;
      // Every loop kept calling for at least durationMs, and a token lives lifetimeMs: it did refresh.
      expect(requests).toBeGreaterThanOrEqual(Math.floor(durationMs / lifetimeMs));
      expect(requests).toBeLessThanOrEqual(allowed + 2); // ...once per cycle, allowing the overlap window
    }
    const startup = results.map((result) => result.startupMs);
    console.info(`fleet: ${calls} calls (${JSON.stringify(statuses)}) in ${runMs} ms, token requests by tenant ${JSON.stringify(ims.tokenRequests.byTenant)} (at most ${allowed + 2} each), worker startup ms ${startup}, fallbacks ${results.flatMap((result) => result.fallbacks)}`);
  }, 600_000);

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
