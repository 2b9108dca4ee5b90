import { afterEach, describe, expect, it } from "vitest";
import { allStages, createClient, type ClientOptions, type PorticoError } from "../../src/index.js";
import { json, startLoopback, type Loopback } from "../support/loopback.js";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";

/**
 * The retry budget and the circuit breaker of an origin, shared by every client of it in the
 * process, against a real loopback server that is down (503) and then comes back. Time is a
 * virtual clock the test moves: backoff sleeps return at once, and the breaker's cooldown passes
 * when the test advances the clock.
 */

let server: (Loopback & { up: boolean }) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A loopback origin answering 503 while `up` is false, then 200. */
async function startOrigin(): Promise<Loopback & { up: boolean }> {
  const state = { up: false };
  const loopback = await startLoopback((_req, res) => (state.up ? json(res, 200, [{ id: "i1", name: "bolt", quantity: 1 }]) : json(res, 503, { message: "down" })));
  return Object.defineProperty(loopback, "up", { get: () => state.up, set: (up: boolean) => void (state.up = up), enumerable: true }) as Loopback & { up: boolean };
}

function virtualClock() {
  let now = Date.parse("2030-01-01T00:00:00Z");
  return { now: () => now, sleep: async () => true, advance: (ms: number) => void (now += ms) };
}

const CALLERS = 100;
const CALLS_EACH = 5;

/** `CALLERS` callers, each with its own client of the origin, each making `CALLS_EACH` calls in a row. */
async function outage(options: ClientOptions): Promise<{ requests: number; codes: Map<string, number> }> {
  server = await startOrigin();
  const codes = new Map<string, number>();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      const client = createClient<paths>(descriptor, { baseUrl: server!.url, retry: { maxRetries: 2, baseDelayMs: 0, maxDelayMs: 0 }, ...options }, allStages);
      for (let i = 0; i < CALLS_EACH; i++) {
        const { error } = await client.GET("/v1/items");
        codes.set(error?.code ?? "ok", (codes.get(error?.code ?? "ok") ?? 0) + 1);
      }
    }),
  );
  const requests = server.requests.length;
  await server.close();
  server = undefined;
  return { requests, codes };
}

describe("retry budget and circuit breaker", () => {
  it(`${CALLERS} concurrent callers against a down origin send at least 5× fewer requests with the budget and breaker on`, async () => {
    const off = await outage({ clock: virtualClock(), retryBudget: false, circuitBreaker: false });
    const on = await outage({ clock: virtualClock() });
    const ratio = off.requests / on.requests;
    console.log(`down origin, ${CALLERS} callers × ${CALLS_EACH} calls: ${off.requests} requests with budget and breaker off, ${on.requests} on (${ratio.toFixed(1)}× fewer)`);
    expect(off.requests).toBe(CALLERS * CALLS_EACH * 3);
    expect(ratio).toBeGreaterThanOrEqual(5);
    // Every first attempt of the first wave went out (first attempts never wait for budget); the rest failed fast.
    expect(on.requests).toBeGreaterThanOrEqual(CALLERS);
    expect(on.codes.get("CIRCUIT_OPEN")).toBeGreaterThanOrEqual(CALLERS * (CALLS_EACH - 2));
  });

  it("the budget alone never holds back a first attempt, and stops the retries", async () => {
    const { requests, codes } = await outage({ clock: virtualClock(), circuitBreaker: false });
    // 500 calls: every first attempt went, and of the 1,000 retries the budget let a handful through.
    expect(requests).toBeGreaterThanOrEqual(CALLERS * CALLS_EACH);
    expect(requests).toBeLessThan(CALLERS * CALLS_EACH + 20);
    expect(codes.get("CIRCUIT_OPEN")).toBeUndefined();
  });

  it("after the cooldown one probe goes while the others fail fast; its success closes the circuit for every client", async () => {
    const clock = virtualClock();
    server = await startOrigin();
    const options = { baseUrl: server.url, clock, retry: false as const };
    const clients = Array.from({ length: 20 }, () => createClient<paths>(descriptor, options, allStages));
    for (const client of clients.slice(0, 10)) expect((await client.GET("/v1/items")).error?.code).not.toBe("CIRCUIT_OPEN");
    const open = (await clients[10]!.GET("/v1/items")).error as PorticoError;
    expect(open.code).toBe("CIRCUIT_OPEN");
    expect(open.details).toEqual({ origin: server.url, retryAt: clock.now() + 5000, retryAfterMs: 5000 });
    expect(open.message).toMatch(/failed 10 attempts in a row.*nothing was sent.*circuitBreaker: false/);
    expect(server.requests).toHaveLength(10);

    // The origin comes back, and the cooldown passes: the first call is the probe, the others still fail fast until it answers.
    server.up = true;
    clock.advance(5000);
    const wave = await Promise.all(clients.map((client) => client.GET("/v1/items")));
    expect(server.requests).toHaveLength(11);
    expect(wave.filter((r) => r.error === undefined)).toHaveLength(1);
    expect(wave.filter((r) => r.error?.code === "CIRCUIT_OPEN")).toHaveLength(clients.length - 1);
    // Closed: every client's calls go again.
    const after = await Promise.all(clients.map((client) => client.GET("/v1/items")));
    expect(after.every((r) => r.error === undefined)).toBe(true);
    expect(server.requests).toHaveLength(11 + clients.length);
  });

  it("a failed probe opens the circuit for another cooldown", async () => {
    const clock = virtualClock();
    server = await startOrigin();
    const client = createClient<paths>(descriptor, { baseUrl: server.url, clock, retry: false, circuitBreaker: { failureThreshold: 2, cooldownMs: 1000 } }, allStages);
    await client.GET("/v1/items");
    await client.GET("/v1/items");
    expect((await client.GET("/v1/items")).error?.code).toBe("CIRCUIT_OPEN");
    clock.advance(1000);
    expect((await client.GET("/v1/items")).error?.code).not.toBe("CIRCUIT_OPEN"); // the probe: sent, 503
    expect((await client.GET("/v1/items")).error).toMatchObject({ code: "CIRCUIT_OPEN", details: { retryAfterMs: 1000 } });
    expect(server.requests).toHaveLength(3);
  });

  it("a probe aborted before it is sent leaves the probe to the next call", async () => {
    const clock = virtualClock();
    server = await startOrigin();
    const client = createClient<paths>(descriptor, { baseUrl: server.url, clock, retry: false, circuitBreaker: { failureThreshold: 1, cooldownMs: 1000 } }, allStages);
    await client.GET("/v1/items");
    clock.advance(1000);
    const controller = new AbortController();
    controller.abort();
    // Aborted before it was sent: no outcome, so the probe is still free.
    expect((await client.GET("/v1/items", { signal: controller.signal })).error?.code).toBe("ABORTED");
    server.up = true;
    expect((await client.GET("/v1/items")).error).toBeUndefined();
  });

  it("budget and breaker settings are checked at construction", () => {
    const refuse = (options: ClientOptions) => () => createClient(descriptor, options, allStages);
    expect(refuse({ retryBudget: { maxTokens: 0 } })).toThrow(/retryBudget.maxTokens.*whole number from 1 to 1000/);
    expect(refuse({ retryBudget: { tokenRatio: 2 } })).toThrow(/retryBudget.tokenRatio/);
    expect(refuse({ circuitBreaker: { failureThreshold: 1.5 } })).toThrow(/circuitBreaker.failureThreshold/);
    expect(refuse({ circuitBreaker: { cooldown: 5 } as never })).toThrow(/Unknown client option in "circuitBreaker": cooldown/);
    expect(refuse({ circuitBreaker: true as never })).toThrow(/must be false or \{ failureThreshold\?, cooldownMs\? \}/);
  });
});

describe("origins at rest", () => {
  it("past a thousand origins those at rest are dropped, and an origin with an open circuit is kept", async () => {
    server = await startOrigin();
    const clock = virtualClock();
    const client = createClient<paths>(descriptor, { baseUrl: server.url, clock, retry: false, circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 } }, allStages);
    await client.GET("/v1/items");
    await client.GET("/v1/items");
    expect((await client.GET("/v1/items")).error?.code).toBe("CIRCUIT_OPEN");
    // 1,100 healthy origins (answered by an in-process fetcher) push the table past its bound.
    const ok = async () => new Response("[]", { status: 200, headers: { "content-type": "application/json" } });
    for (let i = 0; i < 1100; i++) await createClient<paths>(descriptor, { baseUrl: `https://tenant-${i}.example.test`, fetcher: ok }, allStages).GET("/v1/items");
    // The failing origin's open circuit is remembered.
    expect((await client.GET("/v1/items")).error?.code).toBe("CIRCUIT_OPEN");
  });
});
