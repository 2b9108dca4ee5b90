/**
 * `maxConcurrency` as a user meets it: the generated IMS client against a loopback API that holds
 * its answers until the test lets each go, so how many requests are in flight at once is read off
 * the server, and what waits where is decided by events, never by timers. The token case runs
 * `clientCredentials` against a real token endpoint on a virtual clock the test moves.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createImsApiClient } from "../../../ims-client/src/index.js";
import { bearerToken, createConcurrencyGate, PorticoError, type ConcurrencyGate } from "../../src/index.js";
import { IMS_MACHINE_CLIENTS, imsMachineCredential, useLoopbackFixtures } from "../auth/support/servers.js";
import { checkProperty, fuzzTimeout, runsFor } from "../fuzz/support/fuzz.js";
import { claimsOf } from "../support/jwt.js";
import { json, type Loopback } from "../support/loopback.js";

const f = useLoopbackFixtures();

/** An API whose answers wait until the test releases them; it counts what is in flight. */
interface HeldApi extends Loopback {
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /** The most that were ever in flight at once. */
  readonly mostInFlight: number;
  /** Answers the oldest held request, or the `index`-th of those held. */
  releaseOne(index?: number): void;
  /** Requests held now. */
  readonly held: number;
  /** Answers every held request, and every later one at once. */
  releaseAll(): void;
}

async function heldApi(answer: (req: IncomingMessage, res: ServerResponse, index: number) => void = (_req, res) => json(res, 200, [])): Promise<HeldApi> {
  const held: (() => void)[] = [];
  const state = { inFlight: 0, most: 0, open: false };
  const server = await f.server((req, res, _body, index) => {
    state.inFlight++;
    state.most = Math.max(state.most, state.inFlight);
    const respond = () => {
      state.inFlight--;
      answer(req, res, index);
    };
    if (state.open) respond();
    else held.push(respond);
  });
  return Object.defineProperties(Object.create(server) as HeldApi, {
    inFlight: { get: () => state.inFlight },
    mostInFlight: { get: () => state.most },
    releaseOne: { value: (index = 0) => held.splice(index, 1)[0]?.() },
    held: { get: () => held.length },
    releaseAll: {
      value: () => {
        state.open = true;
        for (const respond of held.splice(0)) respond();
      },
    },
  });
}

/** Until `n` calls wait at the gate (each turn of the event loop lets calls reach it; no timer). */
async function untilWaiting(gate: ConcurrencyGate, n: number): Promise<void> {
  while (gate.waiting < n) await new Promise((resolve) => setImmediate(resolve));
}

const orderOf = (server: Loopback, n: number) => server.requests[n]?.headers["x-order"];

describe("maxConcurrency: a limit on attempts in flight", () => {
  it("limit 2, five calls at once: the API never has more than two, and the others go in the order they came as slots free", async () => {
    const api = await heldApi();
    const gate = createConcurrencyGate(2);
    const client = createImsApiClient({ baseUrl: api.url, auth: bearerToken("t0ken-for-the-gate"), maxConcurrency: gate });
    const calls = Array.from({ length: 5 }, (_, i) => client.GET("/v1/items", { headers: { "x-order": String(i) } }));
    await api.until(2);
    await untilWaiting(gate, 3);
    expect(gate).toMatchObject({ limit: 2, inFlight: 2, waiting: 3 });
    expect(api.requests).toHaveLength(2);
    api.releaseOne();
    await api.until(3);
    expect(orderOf(api, 2)).toBe("2"); // the first waiter took the freed slot
    api.releaseOne();
    await api.until(4);
    expect(orderOf(api, 3)).toBe("3");
    api.releaseAll();
    const results = await Promise.all(calls);
    expect(results.map((result) => result.response?.status)).toEqual([200, 200, 200, 200, 200]);
    expect(api.mostInFlight).toBe(2);
    expect(gate).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it("a call aborted while it waits for a slot ends in ABORTED, is never sent, and leaves the slot to the next", async () => {
    const api = await heldApi();
    const gate = createConcurrencyGate(1);
    const client = createImsApiClient({ baseUrl: api.url, auth: bearerToken("t0ken-for-the-gate"), maxConcurrency: gate });
    const first = client.GET("/v1/items", { headers: { "x-order": "first" } });
    await api.until(1);
    const controller = new AbortController();
    const waiting = client.GET("/v1/items", { headers: { "x-order": "aborted" }, signal: controller.signal });
    const last = client.GET("/v1/items", { headers: { "x-order": "last" } });
    await untilWaiting(gate, 2);
    controller.abort();
    const aborted = await waiting;
    expect(aborted.error?.code).toBe("ABORTED");
    expect(aborted.meta.attempts).toBe(0);
    expect(gate.waiting).toBe(1);
    api.releaseAll();
    expect((await first).response?.status).toBe(200);
    expect((await last).response?.status).toBe(200);
    expect(api.requests.map((request) => request.headers["x-order"])).toEqual(["first", "last"]);
    expect(gate).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it("a call that waited for its slot past its token's life takes a fresh token when it goes: none is sent expired", async () => {
    const auth = await f.auth({ clients: IMS_MACHINE_CLIENTS, lifetimeSeconds: 5 });
    const arrivedWith: { token: string; leftMs: number }[] = [];
    const api = await heldApi();
    const credential = imsMachineCredential(auth.tokenUrl, f.clock);
    const client = createImsApiClient({
      baseUrl: api.url,
      auth: credential,
      maxConcurrency: 1,
      clock: { now: () => f.clock.now(), sleep: async () => true },
      // What each request carried when it reached the API, by the clock the token endpoint signs with.
      fetcher: async (url, init) => {
        const token = String(init.headers?.["authorization"] ?? "").slice("Bearer ".length);
        arrivedWith.push({ token, leftMs: (claimsOf(token)?.exp ?? 0) * 1000 - f.clock.now() });
        return fetch(url, init as RequestInit);
      },
    });
    const first = client.GET("/v1/items");
    await api.until(1);
    const second = client.GET("/v1/items"); // waits for the slot, holding no token
    f.clock.advance(10_000); // the first token's life passes while the second call waits
    api.releaseAll();
    expect((await first).response?.status).toBe(200);
    expect((await second).response?.status).toBe(200);
    expect(auth.requests).toHaveLength(2);
    expect(arrivedWith).toHaveLength(2);
    expect(arrivedWith[1]!.token).not.toBe(arrivedWith[0]!.token);
    expect(arrivedWith.every((sent) => sent.leftMs > 0)).toBe(true);
  });

  it("a failed attempt gives its slot back before the retry waits: limit 1, three calls through a 503 each get their answer", async () => {
    const api = await heldApi((_req, res, index) => (index === 0 ? json(res, 503, { message: "busy" }) : json(res, 200, [])));
    api.releaseAll();
    const gate = createConcurrencyGate(1);
    const sleeps: number[] = [];
    const client = createImsApiClient({
      baseUrl: api.url,
      auth: bearerToken("t0ken-for-the-gate"),
      maxConcurrency: gate,
      retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 10 },
      clock: {
        now: () => Date.now(),
        sleep: async (ms) => {
          sleeps.push(gate.inFlight); // the slot was given back before the retry's wait
          return ms >= 0;
        },
      },
    });
    const results = await Promise.all([client.GET("/v1/items"), client.GET("/v1/items"), client.GET("/v1/items")]);
    expect(results.map((result) => result.response?.status)).toEqual([200, 200, 200]);
    expect(results.map((result) => result.meta.attempts).sort()).toEqual([1, 1, 2]);
    expect(api.mostInFlight).toBe(1);
    expect(sleeps).toHaveLength(1);
    expect(gate).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it("a streamed body holds its slot only until its headers: the next call goes while the stream is open", async () => {
    const open: ServerResponse[] = [];
    const api = await heldApi((req, res) => {
      if (req.headers["x-order"] === "stream") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.write("first bytes");
        open.push(res); // the body never ends while the test runs
      } else json(res, 200, []);
    });
    api.releaseAll();
    const gate = createConcurrencyGate(1);
    const client = createImsApiClient({ baseUrl: api.url, auth: bearerToken("t0ken-for-the-gate"), maxConcurrency: gate });
    const streamed = await client.GET("/v1/items", { headers: { "x-order": "stream" }, parseAs: "stream" });
    expect(streamed.response?.status).toBe(200);
    expect((await client.GET("/v1/items")).response?.status).toBe(200);
    for (const res of open) res.end();
    await (streamed.data as ReadableStream<Uint8Array>).cancel();
  });

  it("one gate limits several clients together; every client left without one is unlimited", async () => {
    const api = await heldApi();
    const gate = createConcurrencyGate(3);
    const tenants = ["a", "b", "c"].map((tenant) => createImsApiClient({ baseUrl: api.url, auth: bearerToken(`t0ken-of-${tenant}`), maxConcurrency: gate }));
    const free = createImsApiClient({ baseUrl: api.url, auth: bearerToken("t0ken-of-free") });
    const calls = tenants.flatMap((client) => [client.GET("/v1/items"), client.GET("/v1/items")]);
    await api.until(3);
    await untilWaiting(gate, 3);
    const unlimited = [free.GET("/v1/items"), free.GET("/v1/items")];
    await api.until(5);
    api.releaseAll();
    await Promise.all([...calls, ...unlimited]);
    expect(api.requests).toHaveLength(8);
    expect(gate).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it("bad limits are refused at construction, saying what a limit is", () => {
    const attempt = (maxConcurrency: unknown) => () => createImsApiClient({ baseUrl: "https://api.example.com", maxConcurrency: maxConcurrency as ConcurrencyGate });
    for (const bad of [0, -1, 1.5, Number.NaN, "8", {}]) {
      const thrown = (() => {
        try {
          attempt(bad)();
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(thrown).toBeInstanceOf(PorticoError);
      expect((thrown as PorticoError).code).toBe("INVALID_OPTIONS");
      expect((thrown as PorticoError).message).toContain("maxConcurrency");
      expect((thrown as PorticoError).message).toContain("whole number from 1");
    }
    expect(() => createConcurrencyGate(0)).toThrow(/createConcurrencyGate\(limit\): the limit must be a whole number from 1/);
    expect(() => createImsApiClient({ baseUrl: "https://api.example.com", maxConcurrency: 8 })).not.toThrow();
  });
});

describe("maxConcurrency (property)", () => {
  /**
   * Any limit, any number of calls started one after another, any of the waiting ones aborted,
   * and the API answering in any order: the API never has more than `limit` requests at once, the
   * calls reach it in the order they came (aborted ones never), every other call gets its answer,
   * and the gate ends empty.
   */
  const schedule = fc
    .record({ limit: fc.integer({ min: 1, max: 4 }), calls: fc.integer({ min: 1, max: 14 }) })
    .chain(({ limit, calls }) =>
      fc.record({
        limit: fc.constant(limit),
        calls: fc.constant(calls),
        aborted: fc.subarray(Array.from({ length: calls }, (_, i) => i).filter((i) => i >= limit)),
        answerOrder: fc.array(fc.nat(), { minLength: calls, maxLength: calls }),
      }),
    );

  it(
    "never more than the limit in flight, first come first served, nothing lost",
    async () => {
      await checkProperty(
        "maxConcurrency",
        fc.asyncProperty(schedule, async ({ limit, calls, aborted, answerOrder }) => {
          const api = await heldApi();
          try {
            const gate = createConcurrencyGate(limit);
            const client = createImsApiClient({ baseUrl: api.url, auth: bearerToken("t0ken-for-the-gate"), maxConcurrency: gate });
            const controllers = Array.from({ length: calls }, () => new AbortController());
            const results = [];
            for (let i = 0; i < calls; i++) {
              results.push(client.GET("/v1/items", { headers: { "x-order": String(i) }, signal: controllers[i]!.signal }));
              // The call is at the API or in the line before the next one starts: the order is the test's.
              if (i < limit) await api.until(i + 1);
              else await untilWaiting(gate, i + 1 - limit);
            }
            for (const i of aborted) controllers[i]!.abort();
            const sent = Array.from({ length: calls }, (_, i) => i).filter((i) => !aborted.includes(i));
            expect(gate.waiting).toBe(Math.max(0, calls - limit - aborted.length));
            // Answer in the given order; after each answer, the next waiter (if any) arrives.
            for (let answered = 0; answered < sent.length; answered++) {
              const arrivedBefore = api.requests.length;
              api.releaseOne(answerOrder[answered]! % api.held);
              expect(api.inFlight).toBeLessThanOrEqual(limit);
              if (arrivedBefore < sent.length) await api.until(arrivedBefore + 1);
              expect(api.mostInFlight).toBeLessThanOrEqual(limit);
            }
            const settled = await Promise.all(results);
            expect(api.requests.map((request) => Number(request.headers["x-order"]))).toEqual(sent);
            for (const [i, result] of settled.entries()) {
              if (aborted.includes(i)) expect([result.error?.code, result.meta.attempts]).toEqual(["ABORTED", 0]);
              else expect(result.response?.status).toBe(200);
            }
            expect(gate).toMatchObject({ inFlight: 0, waiting: 0 });
          } finally {
            await api.close();
          }
        }),
        runsFor(0.25),
      );
    },
    fuzzTimeout(40, runsFor(0.25)),
  );
});
