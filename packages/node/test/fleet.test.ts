import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "@portico/sandbox";
import { clientCredentials, createRedisTokenCache, nodeFetcher } from "../src/index.js";
import { startRedis, type RedisServer } from "./support/redis.js";
import { ensureBuilt, spawnWorker, type Worker } from "./support/workers.js";

/** The parts of the IMS sandbox's `control` these tests use. */
interface ImsControl {
  readonly tokenUrl: string;
  readonly audience: string;
  readonly claimNamespace: string;
  readonly clients: Record<"acmeM2m" | "globexM2m", { clientId: string; clientSecret: string; tenantId: string }>;
  readonly tokenRequests: { total: number; byTenant: Record<string, number> };
  resetTokenRequests(): void;
}

const TOKEN_LIFETIME_SECONDS = 5;
let redis: RedisServer;
let sandbox: RunningSandbox<"ims">;
let ims: ImsControl;
let workers: Worker[] = [];

beforeAll(async () => {
  ensureBuilt();
  redis = await startRedis();
  sandbox = await startSandbox({
    apis: ["ims"],
    options: { ims: { tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS, rateLimitPerMinute: 100_000_000 } },
  });
  ims = sandbox.apis.ims.control as unknown as ImsControl;
}, 300_000);

afterEach(async () => {
  for (const worker of workers) worker.kill("SIGKILL");
  await Promise.all(workers.map((worker) => worker.exited));
  workers = [];
  sandbox.faults("ims").clear();
  ims.resetTokenRequests();
});

afterAll(async () => {
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

describe("a fleet sharing tokens through Redis", () => {
  it("8 processes × 200 concurrent calls for 20 s: about one token request per refresh cycle per tenant, not one per process", async () => {
    const durationMs = 20_000;
    const config = { ...baseConfig(), mode: "load", concurrency: 200, durationMs };
    workers = Array.from({ length: 8 }, () => spawnWorker(config));
    const results = await Promise.all(
      workers.map(async (worker) => JSON.parse((await worker.waitFor((line) => line.startsWith("RESULT "), 60_000)).slice(7))),
    );

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

    // Core refreshes ahead in the soft window (half the lifetime), so one token per 2.5 s per
    // tenant across the fleet: about 20 / 2.5 + 1 = 9. Without sharing it would be 8× that.
    const perCycle = (TOKEN_LIFETIME_SECONDS * 1000) / 2;
    const expected = Math.ceil(durationMs / perCycle) + 1;
    for (const name of ["acmeM2m", "globexM2m"] as const) {
      const requests = ims.tokenRequests.byTenant[ims.clients[name].tenantId] ?? 0;
      expect(requests).toBeGreaterThanOrEqual(durationMs / (TOKEN_LIFETIME_SECONDS * 1000)); // it did refresh
      expect(requests).toBeLessThanOrEqual(expected + 2); // ...once per cycle, allowing the overlap window
    }
    const startup = results.map((result) => result.startupMs);
    console.info(`fleet: ${calls} calls (${JSON.stringify(statuses)}), token requests by tenant ${JSON.stringify(ims.tokenRequests.byTenant)} (expected ≈ ${expected} each), worker startup ms ${startup}, fallbacks ${results.flatMap((result) => result.fallbacks)}`);
  }, 90_000);

  it("killing the lock holder mid-refresh (SIGKILL): the others get a token within the lock expiry plus one refresh", async () => {
    const lockTtlMs = 2_000;
    // The first token request hangs: its process holds the lock mid-refresh when it is killed.
    sandbox.faults("ims").inject({ route: "POST /oauth/token", latencyMs: 15_000, times: 1 });
    const config = { ...baseConfig(), tenants: (baseConfig().tenants as unknown[]).slice(0, 1), mode: "once", lockTtlMs };
    workers = Array.from({ length: 4 }, () => spawnWorker(config));
    await Promise.all(workers.map((worker) => worker.waitFor((line) => line === "READY")));
    const holder = await Promise.race(workers.map((worker) => worker.waitFor((line) => line === "FETCH_START").then(() => worker)));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the others are now waiting on the lock
    holder.kill("SIGKILL");
    const killedAt = Date.now();

    const survivors = workers.filter((worker) => worker !== holder);
    const lines = await Promise.all(survivors.map((worker) => worker.waitFor((line) => line.startsWith("TOKEN "), 20_000)));
    const elapsed = Date.now() - killedAt;
    expect(lines.map((line) => line.split(" ")[2])).toEqual(["200", "200", "200"]);
    expect(elapsed).toBeLessThan(lockTtlMs + 5_000); // lock expiry + one refresh, generous for a loaded machine
    // Exactly one refresh after the holder died, not one per waiting process.
    expect(survivors.flatMap((worker) => worker.lines).filter((line) => line === "FETCH_START")).toHaveLength(1);
  }, 60_000);
});

describe("Redis stopped mid-run", () => {
  it("calls keep succeeding with the in-process cache, the hook fires, and Redis is used again when it returns", async () => {
    const own = await startRedis();
    const events: string[] = [];
    const cache = createRedisTokenCache({
      redis: own.url,
      hooks: { onFallback: (event) => events.push(`fallback:${event.reason}`), onRecover: () => events.push("recover") },
    });
    const acme = ims.clients.acmeM2m;
    const credential = clientCredentials({
      tokenUrl: ims.tokenUrl,
      clientId: acme.clientId,
      clientSecret: acme.clientSecret,
      audience: ims.audience,
      bodyEncoding: "json",
      cache,
      fetcher: nodeFetcher,
    });
    const url = `${sandbox.urls.ims.api}/v1/uoms`;
    const statuses: number[] = [];
    const failures: unknown[] = [];
    let stop = false;
    const loops = Array.from({ length: 20 }, async () => {
      while (!stop) {
        try {
          const { headers } = await credential.authorize({
            url,
            method: "GET",
            operation: "GET /v1/uoms",
            scheme: "oauth2",
            schemeDescriptor: { type: "oauth2" },
            scopes: [],
          });
          const response = await nodeFetcher(url, { method: "GET", headers: { ...headers } });
          await response.arrayBuffer();
          statuses.push(response.status);
        } catch (error) {
          failures.push(error);
        }
      }
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await own.stop();
      // Past the refresh-ahead point (2.5 s): tokens are refreshed while Redis is down.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(cache.mode).toBe("fallback");
      await own.start();
      await expect.poll(() => events.includes("recover"), { timeout: 10_000 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      stop = true;
      await Promise.all(loops);
      await cache.close();
      await own.stop();
    }
    expect(failures).toEqual([]);
    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(events[0]).toMatch(/^fallback:/);
    expect(events.filter((event) => event.startsWith("fallback"))).toHaveLength(1);
    expect(ims.tokenRequests.total).toBeGreaterThanOrEqual(2); // refreshed during the outage
  }, 60_000);
});
