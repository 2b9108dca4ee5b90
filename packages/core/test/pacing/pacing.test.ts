import { afterEach, describe, expect, it } from "vitest";
import {
  bearerToken,
  createClient,
  createMemoryPaceStore,
  creditsStage,
  ietfRateLimitStage,
  rateLimitStage,
  type ApiDescriptor,
  type ClientOptions,
  type Credential,
  type PaceStore,
  type PorticoError,
} from "../../src/index.js";
import { json, startLoopback, type Loopback } from "../support/loopback.js";

/**
 * Pacing against a real loopback server that enforces its rate limit and answers 429 to a
 * caller who comes early. Client and server read one virtual clock: a paced call's sleep moves it
 * to the moment the call wakes, so "waits for the reset" is exact and takes no wall time.
 */

type paths = Record<string, never>;

const api: ApiDescriptor = {
  name: "paced",
  servers: [{ url: "https://api.example.test" }],
  securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
  security: [{ bearerAuth: [] }],
  operations: { "GET /v1/items": {}, "POST /v1/reports": { credits: 40 } },
};

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Time every sleeper shares: a sleep wakes at its start plus `ms`, and the clock then reads at least that. */
function virtualClock() {
  let now = Date.parse("2030-01-01T00:00:00Z");
  return {
    now: () => now,
    sleep: async (ms: number) => {
      const wake = now + ms;
      await Promise.resolve();
      now = Math.max(now, wake);
      return true;
    },
  };
}

/**
 * A server allowing `limit` calls per `windowMs` window (aligned to the clock's start) per token,
 * announcing `RateLimit: "default";r=<left>;t=<seconds>` (and the policy when `policy`), 429 past it.
 * It judges each request at the virtual time it was sent (`x-sent-at`, set by the client's
 * `onRequest` hook): no latency, so a sleeper that moves the clock while a request is on the
 * socket does not move that request into a later window.
 */
async function rateLimitedServer(clock: { now(): number }, limit: number, windowMs: number, policy = true) {
  const start = clock.now();
  const used = new Map<string, number>();
  const statuses: number[] = [];
  const loopback = await startLoopback((req, res) => {
    const sentAt = Number(req.headers["x-sent-at"] ?? clock.now());
    const window = Math.floor((sentAt - start) / windowMs);
    const key = `${req.headers.authorization} ${window}`;
    const count = (used.get(key) ?? 0) + 1;
    used.set(key, count);
    const reset = Math.ceil((start + (window + 1) * windowMs - sentAt) / 1000);
    const headers: Record<string, string> = { ratelimit: `"default";r=${Math.max(0, limit - count)};t=${reset}` };
    if (policy) headers["ratelimit-policy"] = `"default";q=${limit};w=${windowMs / 1000}`;
    const status = count > limit ? 429 : 200;
    statuses.push(status);
    return status === 429 ? json(res, 429, { message: "slow down" }, { ...headers, "retry-after": String(reset) }) : json(res, 200, [], headers);
  });
  return Object.assign(loopback, { statuses });
}

function clientOf(url: string, clock: ReturnType<typeof virtualClock>, token: string, options: ClientOptions = {}) {
  return clientFor(url, clock, bearerToken(token), options);
}

function clientFor(url: string, clock: ReturnType<typeof virtualClock>, auth: Credential, options: ClientOptions = {}) {
  const hooks = { onRequest: (event: { headers: Record<string, string> }) => void (event.headers["x-sent-at"] = String(clock.now())) };
  return createClient<paths>(api, { baseUrl: url, clock, auth, retry: false, hooks, ...options }, [ietfRateLimitStage]);
}

const get = (client: ReturnType<typeof clientFor>) => (client as unknown as { GET(path: string): Promise<{ error?: PorticoError; meta: { status?: number } }> }).GET("/v1/items");

describe("pacing", () => {
  it('after "RateLimit: r=0;t=2", the next callers wait for the reset instead of earning a 429', async () => {
    const clock = virtualClock();
    let spentUntil = 0;
    const statuses: number[] = [];
    server = await startLoopback((_req, res) => {
      const now = clock.now();
      if (spentUntil === 0) {
        spentUntil = now + 2000;
        statuses.push(200);
        return json(res, 200, [], { ratelimit: "r=0;t=2" });
      }
      const status = now < spentUntil ? 429 : 200;
      statuses.push(status);
      return json(res, status, status === 429 ? { message: "early" } : [], status === 429 ? { "retry-after": "2" } : {});
    });
    const client = clientOf(server.url, clock, "tok_a");
    await get(client);
    const before = clock.now();
    const results = await Promise.all(Array.from({ length: 20 }, () => get(client)));
    expect(results.every((r) => r.error === undefined)).toBe(true);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
    expect(clock.now() - before).toBe(2000);

    // Without pacing the same callers earn 429s.
    spentUntil = 0;
    statuses.length = 0;
    const unpaced = clientOf(server.url, clock, "tok_b", { pacing: false });
    await get(unpaced);
    await Promise.all(Array.from({ length: 20 }, () => get(unpaced)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it("concurrent callers are counted against the window: 60 calls on a 5-per-2-s quota see no 429 and use each window in full", async () => {
    const clock = virtualClock();
    const rated = await rateLimitedServer(clock, 5, 2000);
    server = rated;
    const client = clientOf(rated.url, clock, "tok_c");
    await get(client); // learns the window
    const results = await Promise.all(Array.from({ length: 59 }, () => get(client)));
    expect(results.filter((r) => r.error !== undefined)).toEqual([]);
    expect(rated.statuses.filter((s) => s === 429)).toHaveLength(0);
    // 60 calls at 5 per window: 12 windows, so the last calls went in the 12th (no window left idle).
    expect(clock.now() - Date.parse("2030-01-01T00:00:00Z")).toBe(11 * 2000);
  });

  it("clients given the same credential share its window; another credential, even one whose fingerprint looks alike, has its own", async () => {
    const clock = virtualClock();
    const rated = await rateLimitedServer(clock, 3, 2000);
    server = rated;
    const start = clock.now();
    const tenantA = bearerToken("sk_live_tenant_a_0123456789");
    const [a1, a2] = [clientFor(rated.url, clock, tenantA), clientFor(rated.url, clock, tenantA)];
    const b = clientFor(rated.url, clock, bearerToken("sk_live_tenant_b_0123456789"));
    expect(tenantA.fingerprint).toBe(bearerToken("sk_live_tenant_b_0123456789").fingerprint);
    await get(a1); // learns: 2 left in this window
    await Promise.all([get(a1), get(a2), get(a2)]);
    expect(rated.statuses.filter((s) => s === 429)).toHaveLength(0);
    expect(clock.now() - start).toBe(2000); // the third of those waited for the next window
    await Promise.all([get(b), get(b), get(b)]);
    expect(clock.now() - start).toBe(2000); // tenant b's window is its own
  });

  it("pacing.key names the budget: clients with separate credential objects of one tenant share it", async () => {
    const clock = virtualClock();
    const rated = await rateLimitedServer(clock, 2, 2000);
    server = rated;
    const start = clock.now();
    const one = clientFor(rated.url, clock, bearerToken("tok_same"), { pacing: { key: "tenant-a" } });
    const two = clientFor(rated.url, clock, bearerToken("tok_same"), { pacing: { key: "tenant-a" } });
    await get(one); // 1 left
    await Promise.all([get(two), get(two)]);
    expect(rated.statuses).toEqual([200, 200, 200]);
    expect(clock.now() - start).toBe(2000);
  });

  it("a wait longer than maxWaitMs fails at once with RATE_LIMITED, nothing sent", async () => {
    const clock = virtualClock();
    const rated = await rateLimitedServer(clock, 1, 60_000);
    server = rated;
    const client = clientOf(rated.url, clock, "tok_d", { pacing: { maxWaitMs: 10_000 } });
    await get(client);
    const { error } = await get(client);
    expect(error).toMatchObject({ code: "RATE_LIMITED", details: { source: "rate-limit", retryAfterMs: 60_000, maxWaitMs: 10_000 } });
    expect(error?.message).toMatch(/would wait 60000 ms for the rate limit the API announced, more than maxWaitMs \(10000 ms\); nothing was sent/);
    expect(rated.requests).toHaveLength(1);
    // Per call, a longer wait may be allowed.
    expect((await (client as unknown as { GET(p: string, i: object): Promise<{ error?: unknown }> }).GET("/v1/items", { maxWaitMs: 60_000 })).error).toBeUndefined();
    expect(rated.statuses).toEqual([200, 200]);
  });

  it("X-RateLimit-* triplets pace as well", async () => {
    const clock = virtualClock();
    let first = true;
    server = await startLoopback((_req, res) => {
      const headers: Record<string, string> = first ? { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "3" } : {};
      first = false;
      return json(res, 200, [], headers);
    });
    const client = createClient<paths>(api, { baseUrl: server.url, clock, auth: bearerToken("tok_e") }, [rateLimitStage]);
    await get(client);
    await get(client);
    expect(clock.now() - Date.parse("2030-01-01T00:00:00Z")).toBe(3000);
  });

  /** A server whose first answer says the window is spent until `reset` (given the clock's time); later ones leave plenty. */
  async function spentOnce(clock: ReturnType<typeof virtualClock>, reset: (now: number) => string) {
    let first = true;
    return startLoopback((_req, res) => {
      const headers = first
        ? { "x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset(clock.now()) }
        : { "x-ratelimit-limit": "100", "x-ratelimit-remaining": "99", "x-ratelimit-reset": "60" };
      first = false;
      return json(res, 200, [], headers);
    });
  }

  it("an X-RateLimit-Reset in epoch milliseconds is read as such: the next call waits for that reset, and is sent", async () => {
    const clock = virtualClock();
    server = await spentOnce(clock, (now) => String(now + 30_000));
    const client = createClient<paths>(api, { baseUrl: server.url, clock, auth: bearerToken("tok_ms") }, [rateLimitStage]);
    const start = clock.now();
    const first = (await get(client)) as { meta: { rateLimit?: { resetSeconds?: number } } };
    expect(first.meta.rateLimit?.resetSeconds).toBe(30);
    const { error } = await get(client);
    expect(error).toBeUndefined();
    expect(clock.now() - start).toBe(30_000);
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ["an epoch second in the year 3000", "32503680000"],
    ["a delta of 31 years", "999999999"],
    ["a delta of 28 hours", "100000"],
  ])("a reset more than a day away (%s) is not believed: later calls are sent at once, not held back for it", async (_name, reset) => {
    const clock = virtualClock();
    server = await spentOnce(clock, () => reset);
    const client = createClient<paths>(api, { baseUrl: server.url, clock, auth: bearerToken(`tok_${reset}`) }, [rateLimitStage]);
    const start = clock.now();
    const first = (await get(client)) as { meta: { rateLimit?: { remaining?: number; resetSeconds?: number } } };
    expect(first.meta.rateLimit).toEqual({ limit: 100, remaining: 0 });
    const later = await Promise.all([get(client), get(client)]);
    expect(later.map((result) => result.error)).toEqual([undefined, undefined]);
    expect(clock.now()).toBe(start);
    expect(server.requests).toHaveLength(3);
  });

  it("maxCreditsPerMinute: calls wait for the minute's spend to age out, or fail with RATE_LIMITED past maxWaitMs", async () => {
    const clock = virtualClock();
    server = await startLoopback((_req, res) => json(res, 200, { ok: true }, { "x-credits-cost": "40" }));
    const client = createClient<paths>(api, { baseUrl: server.url, clock, auth: bearerToken("tok_f"), maxCreditsPerMinute: 100 }, [creditsStage]);
    const post = () => (client as unknown as { POST(p: string, i: object): Promise<{ error?: PorticoError }> }).POST("/v1/reports", { body: {} });
    const start = clock.now();
    await post();
    await post();
    expect(clock.now()).toBe(start);
    await post(); // 120 > 100: waits until the first spend is a minute old
    expect(clock.now() - start).toBe(60_000);
    const strict = createClient<paths>(api, { baseUrl: server.url, clock, auth: bearerToken("tok_g"), maxCreditsPerMinute: 100, pacing: { maxWaitMs: 1000 } }, [creditsStage]);
    const strictPost = () => (strict as unknown as { POST(p: string, i: object): Promise<{ error?: PorticoError }> }).POST("/v1/reports", { body: {} });
    await strictPost();
    await strictPost();
    const { error } = await strictPost();
    expect(error).toMatchObject({ code: "RATE_LIMITED", details: { source: "credits", retryAfterMs: 60_000, maxWaitMs: 1000 } });
    expect(error?.message).toMatch(/credit budget \(maxCreditsPerMinute\)/);
    expect(server.requests).toHaveLength(5);
  });

  /** The memory store behind promises, as a shared store (Redis) answers. */
  function answeringLater(): PaceStore {
    const inner = createMemoryPaceStore();
    return {
      reserve: async (key, now) => inner.reserve(key, now),
      record: async (key, report, now) => inner.record(key, report, now),
      spend: async (key, cost, max, now) => inner.spend(key, cost, max, now),
    };
  }

  it.each([
    ["answers at once (memory)", () => createMemoryPaceStore()],
    ["answers in promises (a shared store)", answeringLater],
  ])("two budgets, the first lets the attempt go and the second waits; the first is spent once per call: a store that %s", async (_, store) => {
    const clock = virtualClock();
    let first = true;
    server = await startLoopback((_req, res) => {
      // The first answer says the rate-limit window is spent for 3 s.
      const headers: Record<string, string> = first ? { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "3" } : {};
      first = false;
      return json(res, 200, { ok: true }, headers);
    });
    // Credits first (40 per report, 100 a minute), then the rate limit.
    const options = { baseUrl: server.url, clock, auth: bearerToken("tok_h"), maxCreditsPerMinute: 100, pacing: { store: store(), key: "tenant-h" } };
    const client = createClient<paths>(api, options, [creditsStage, rateLimitStage]);
    const post = () => (client as unknown as { POST(p: string, i: object): Promise<{ error?: PorticoError }> }).POST("/v1/reports", { body: {} });
    const start = clock.now();
    expect((await post()).error).toBeUndefined();
    // Credits let it go at once (80 of 100 spent); the rate limit waits 3 s. Asking the credit budget
    // again after that wait would spend 120 and wait a minute.
    expect((await post()).error).toBeUndefined();
    expect(clock.now() - start).toBe(3000);
    expect(server.requests).toHaveLength(2);
  });

  it("pacing settings are checked at construction, and maxCreditsPerMinute needs a credit-metered spec", () => {
    const refuse = (options: ClientOptions, stages = [ietfRateLimitStage, creditsStage]) => () => createClient(api, options, stages);
    expect(refuse({ pacing: { maxWaitMs: -1 } })).toThrow(/pacing.maxWaitMs/);
    expect(refuse({ pacing: { store: {} as never } })).toThrow(/pace store \(\{ reserve, record, spend \}\)/);
    expect(refuse({ pacing: { store: createMemoryPaceStore() } })).toThrow(/"pacing.store" needs "pacing.key"/);
    expect(refuse({ maxCreditsPerMinute: 0 })).toThrow(/maxCreditsPerMinute.*credits > 0/);
    expect(refuse({ maxCreditsPerMinute: 10 }, [ietfRateLimitStage])).toThrow(/"maxCreditsPerMinute" has no effect/);
  });
});

describe("a window restarted before any response told its end", () => {
  it("hands out the last limit again, then makes the next callers wait briefly instead of going unpaced", () => {
    const store = createMemoryPaceStore();
    const now = Date.parse("2030-01-01T00:00:00Z");
    store.record("k", { remaining: 0, resetAt: now + 1000, limit: 2 }, now);
    expect(store.reserve("k", now)).toBe(1000);
    // The window resets; its length was never stated: two go, the third waits a moment.
    expect([store.reserve("k", now + 1000), store.reserve("k", now + 1000), store.reserve("k", now + 1000)]).toEqual([0, 0, 250]);
    // A response of the new window says when it ends: the wait is exact again.
    store.record("k", { remaining: 0, resetAt: now + 5000, limit: 2 }, now + 1100);
    expect(store.reserve("k", now + 1100)).toBe(3900);
  });
});
