import { afterEach, describe, expect, test, vi } from "vitest";
import { allStages, createClient, type ClientOptions, type RetryEvent } from "../../src/index.js";
import { json, startLoopback, type Handler, type Loopback } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";

let server: Loopback | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/**
 * Waits, timeouts and `Retry-After` dates run on fake timers and a fake `Date`: the sockets are
 * real, but no timer fires and no clock moves until the test says so, so what a test proves does
 * not depend on how fast the machine is. Starts at a whole second, so HTTP dates are exact.
 */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(new Date("2030-01-01T00:00:00.000Z"));
}

/** A promise and its resolver: a test waits on the event, never on a timer. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Hooks that record when each attempt is sent and every retry event; `retried` resolves at the first retry. */
function watchRetries() {
  const retries: RetryEvent[] = [];
  const sent: number[] = [];
  const first = signal();
  const hooks = {
    onRequest: () => void sent.push(Date.now()),
    onRetry: (e: RetryEvent) => {
      retries.push(e);
      first.resolve();
    },
  };
  return { retries, sent, retried: first.promise, hooks };
}

async function clientFor(handler: Handler, options: Partial<ClientOptions> = {}) {
  server = await startLoopback(handler);
  return createClient<paths>(descriptor, { baseUrl: server.url, retry: { baseDelayMs: 10, maxDelayMs: 50 }, ...options }, allStages);
}

const item = { id: "i1", name: "bolt", quantity: 1 };

describe("retries", () => {
  test("waits happen on the client's clock: an injected sleep gets Retry-After and backoff, and an HTTP date is read against its now()", async () => {
    const slept: number[] = [];
    const now = Date.UTC(2030, 0, 1);
    const clock = { now: () => now, sleep: async (ms: number) => (slept.push(ms), true) };
    const answers = [
      () => ({ status: 503, headers: { "retry-after": "120" } }),
      () => ({ status: 429, headers: { "retry-after": new Date(now + 30_000).toUTCString() } }),
      () => ({ status: 502, headers: {} }),
    ];
    const client = await clientFor(
      (_req, res, _body, i) => {
        const answer = answers[i]?.();
        return answer ? json(res, answer.status, { code: "BUSY", message: "busy" }, answer.headers) : json(res, 200, item);
      },
      { clock, retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 100, maxRetryAfterMs: 600_000 } },
    );
    const { data, meta } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } } });
    expect(data).toEqual(item);
    expect(meta.attempts).toBe(4);
    expect(slept.slice(0, 2)).toEqual([120_000, 30_000]); // no wall-clock wait: the fake sleep returned at once
    expect(slept[2]).toBeGreaterThanOrEqual(0);
    expect(slept[2]).toBeLessThanOrEqual(100); // backoff with full jitter, capped at maxDelayMs
    expect(meta.durationMs).toBe(0); // the call's duration is read from the same clock
  });

  test("a clock whose sleep reports an abort ends the call in ABORTED", async () => {
    const client = await clientFor((_req, res) => json(res, 503, { code: "BUSY", message: "busy" }, { "retry-after": "5" }), {
      clock: { now: () => 0, sleep: async () => false },
    });
    const { error, meta } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } } });
    expect(error?.code).toBe("ABORTED");
    expect(meta.attempts).toBe(1);
  });

  test("503 with Retry-After: 1, then 200: the second attempt waits exactly the second", async () => {
    fakeClock();
    const { retries, sent, retried, hooks } = watchRetries();
    const client = await clientFor(
      (_req, res, _body, i) => (i === 0 ? json(res, 503, { code: "UNAVAILABLE", message: "busy" }, { "retry-after": "1" }) : json(res, 200, item)),
      { hooks },
    );
    const call = client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } } });
    await retried;
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: 1000, status: 503, operation: "GET /v1/items/{itemId}" });
    // The clock stands still: however slow the machine, the second attempt waits for it to move.
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const { data, meta } = await call;
    expect(data).toEqual(item);
    expect(meta.attempts).toBe(2);
    expect(server?.requests).toHaveLength(2);
    expect((sent[1] ?? 0) - (sent[0] ?? 0)).toBe(1000);
    expect(retries).toHaveLength(1);
  });

  test("Retry-After as an HTTP date is honoured", async () => {
    fakeClock();
    const { retries, sent, retried, hooks } = watchRetries();
    const client = await clientFor(
      (_req, res, _body, i) => (i === 0 ? json(res, 429, {}, { "retry-after": new Date(Date.now() + 2000).toUTCString() }) : json(res, 200, item)),
      { hooks },
    );
    const call = client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } } });
    await retried;
    // The server's date is 2 s ahead of the (fake, whole-second) clock: the wait is exactly that.
    expect(retries[0]).toMatchObject({ delayMs: 2000, status: 429 });
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const { data, meta } = await call;
    expect(data).toEqual(item);
    expect(meta.attempts).toBe(2);
    expect((sent[1] ?? 0) - (sent[0] ?? 0)).toBe(2000);
  });

  test("a Retry-After beyond maxRetryAfterMs is not waited for: 429 → RATE_LIMITED", async () => {
    const client = await clientFor((_req, res) => json(res, 429, { message: "slow down" }, { "retry-after": "3600", "x-ratelimit-remaining": "0" }), {
      retry: { maxRetryAfterMs: 5000 },
    });
    const { error, meta } = await client.GET("/v1/items");
    expect(error?.code).toBe("RATE_LIMITED");
    expect(error?.details).toMatchObject({ retryAfterMs: 3_600_000, status: 429 });
    expect(meta.attempts).toBe(1);
    expect(meta.rateLimit).toEqual({ remaining: 0 });
  });

  test("a 503 whose Retry-After is beyond maxRetryAfterMs is not waited for, and the error says when to come back", async () => {
    const client = await clientFor((_req, res) => void res.writeHead(503, { "retry-after": "3600", "content-type": "text/html" }).end("<h1>maintenance</h1>"), {
      retry: { maxRetryAfterMs: 5000 },
    });
    const { error, meta } = await client.GET("/v1/items");
    expect(error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 503, details: { retryAfterMs: 3_600_000 } });
    expect(error?.message).toMatch(/; the server asks to wait 3600 s\.$/);
    expect(meta.attempts).toBe(1);
  });

  test("429 retried until maxRetries, then RATE_LIMITED", async () => {
    const client = await clientFor((_req, res) => json(res, 429, {}, { "retry-after": "0" }));
    const { error, meta } = await client.GET("/v1/items", { maxRetries: 3 });
    expect(error?.code).toBe("RATE_LIMITED");
    expect(meta.attempts).toBe(4);
    expect(server?.requests).toHaveLength(4);
  });

  test("a POST without an idempotency key is not retried on 5xx", async () => {
    const client = await clientFor((_req, res) => json(res, 503, { message: "down" }));
    const { error, meta } = await client.POST("/v1/items", { body: { name: "bolt" } });
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(error?.status).toBe(503);
    expect(meta.attempts).toBe(1);
    expect(meta.idempotencyKey).toBeUndefined();
    expect(server?.requests).toHaveLength(1);
    expect(server?.requests[0]?.headers["idempotency-key"]).toBeUndefined();
  });

  test("a POST with a caller-supplied idempotency key is retried on 5xx with the same key", async () => {
    const client = await clientFor((_req, res, body, i) => (i < 2 ? json(res, 502, {}) : json(res, 201, { id: "n", ...JSON.parse(body), quantity: 0 })));
    const { data, meta } = await client.POST("/v1/items", { body: { name: "bolt" }, idempotencyKey: "key-123" });
    expect(data).toEqual({ id: "n", name: "bolt", quantity: 0 });
    expect(meta).toMatchObject({ attempts: 3, idempotencyKey: "key-123" });
    expect(server?.requests.map((r) => r.headers["idempotency-key"])).toEqual(["key-123", "key-123", "key-123"]);
    expect(new Set(server?.requests.map((r) => r.body)).size).toBe(1);
  });

  test("network errors are retried for safe calls, then NETWORK_ERROR", async () => {
    const client = await clientFor((req) => {
      req.socket.destroy();
    });
    const { error, meta } = await client.GET("/v1/items");
    expect(error?.code).toBe("NETWORK_ERROR");
    expect(meta.attempts).toBe(3);
    expect(meta.status).toBeUndefined();
  });

  test("retry: false makes exactly one attempt", async () => {
    const client = await clientFor((_req, res) => json(res, 503, {}), { retry: false });
    const { error, meta } = await client.GET("/v1/items");
    expect(error?.status).toBe(503);
    expect(meta.attempts).toBe(1);
  });

  test("non-retryable statuses (400, 404) are not retried", async () => {
    const client = await clientFor((_req, res) => json(res, 404, { code: "ITEM_NOT_FOUND", message: "no such item" }));
    const { error, meta } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "x" } } });
    expect(error?.code).toBe("ITEM_NOT_FOUND");
    expect(meta.attempts).toBe(1);
  });
});

describe("timeouts and abort", () => {
  test("an attempt that exceeds the timeout is retried, then TIMEOUT", async () => {
    fakeClock();
    const retries: RetryEvent[] = [];
    const retried = signal();
    const client = await clientFor(
      () => {
        /* never answers */
      },
      {
        hooks: {
          onRetry: (e) => {
            retries.push(e);
            retried.resolve();
          },
        },
      },
    );
    const call = client.GET("/v1/items", { timeout: 100, maxRetries: 1 });
    // Each attempt is cut by its own timeout, counted from when it was sent, not from the machine's pace.
    await server?.until(1);
    await vi.advanceTimersByTimeAsync(100);
    await retried.promise;
    expect(retries[0]?.error?.code).toBe("TIMEOUT");
    // Full jitter may draw a 0 ms backoff, which a timer set during a tick runs 1 ms later (as in Node): move at least that.
    await vi.advanceTimersByTimeAsync(Math.max(retries[0]?.delayMs ?? 0, 1));
    await server?.until(2);
    await vi.advanceTimersByTimeAsync(100);
    const { error, meta } = await call;
    expect(error?.code).toBe("TIMEOUT");
    expect(meta.attempts).toBe(2);
    expect(server?.requests).toHaveLength(2);
  });

  test("a body that stalls after the headers also times out", async () => {
    fakeClock();
    const headers = signal();
    const client = await clientFor(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"items": [');
      },
      { hooks: { onResponse: () => headers.resolve() } },
    );
    const call = client.GET("/v1/items", { timeout: 150, maxRetries: 0 });
    // The headers are in: the timeout that fires now is the body's.
    await headers.promise;
    await vi.advanceTimersByTimeAsync(150);
    const { error, meta } = await call;
    expect(error?.code).toBe("TIMEOUT");
    expect(meta.status).toBe(200);
  });

  test("abort stops the call at once, even during a backoff wait", async () => {
    // Fake timers: the 30 s backoff can never elapse, so only the abort can end the call.
    fakeClock();
    const controller = new AbortController();
    const client = await clientFor((_req, res) => json(res, 503, {}, { "retry-after": "30" }), {
      retry: { maxRetryAfterMs: 60_000 },
      hooks: { onRetry: () => void setImmediate(() => controller.abort()) },
    });
    const { error, meta } = await client.GET("/v1/items", { signal: controller.signal });
    expect(error?.code).toBe("ABORTED");
    expect(meta.attempts).toBe(1);
    expect(server?.requests).toHaveLength(1);
  });

  test("abort during a request in flight → ABORTED, no retry", async () => {
    const client = await clientFor(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const call = client.GET("/v1/items", { signal: controller.signal });
    await server?.until(1); // the server has the request: it is in flight
    controller.abort();
    const { error, meta } = await call;
    expect(error?.code).toBe("ABORTED");
    expect(meta.attempts).toBe(1);
    expect(server?.requests).toHaveLength(1);
  });

  test("an already aborted signal sends nothing", async () => {
    const client = await clientFor((_req, res) => json(res, 200, item));
    const { error, meta } = await client.GET("/v1/items", { signal: AbortSignal.abort() });
    expect(error?.code).toBe("ABORTED");
    expect(meta.attempts).toBe(0);
    expect(server?.requests).toHaveLength(0);
  });
});
