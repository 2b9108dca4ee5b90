import { afterEach, describe, expect, test } from "vitest";
import { createClient, type ClientOptions, type RetryEvent } from "../../src/index.js";
import { descriptor, type paths } from "./fixtures/paths.js";
import { json, startLoopback, type Handler, type Loopback } from "./helpers/loopback.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, options: Partial<ClientOptions> = {}) {
  server = await startLoopback(handler);
  return createClient<paths>(descriptor, { baseUrl: server.url, retry: { baseDelayMs: 10, maxDelayMs: 50 }, ...options });
}

const item = { id: "i1", name: "bolt", quantity: 1 };

describe("retries", () => {
  test("503 with Retry-After: 1, then 200: one retry after about a second", async () => {
    const retries: RetryEvent[] = [];
    const client = await clientFor(
      (_req, res, _body, i) => (i === 0 ? json(res, 503, { code: "UNAVAILABLE", message: "busy" }, { "retry-after": "1" }) : json(res, 200, item)),
      { hooks: { onRetry: (e) => void retries.push(e) } },
    );
    const { data, meta } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } } });
    expect(data).toEqual(item);
    expect(meta.attempts).toBe(2);
    expect(server?.requests).toHaveLength(2);
    const gap = (server?.requests[1]?.at ?? 0) - (server?.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(5000);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: 1000, status: 503, operation: "GET /v1/items/{itemId}" });
  });

  test("Retry-After as an HTTP date is honoured", async () => {
    const client = await clientFor((_req, res, _body, i) =>
      i === 0 ? json(res, 429, {}, { "retry-after": new Date(Date.now() + 1500).toUTCString() }) : json(res, 200, item),
    );
    const { data, meta } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } } });
    expect(data).toEqual(item);
    expect(meta.attempts).toBe(2);
    // HTTP dates have 1 s resolution: the wait is between ~0.5 s and 1.5 s.
    const gap = (server?.requests[1]?.at ?? 0) - (server?.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(400);
    expect(gap).toBeLessThan(5000);
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
    const client = await clientFor(() => {
      /* never answers */
    });
    const started = performance.now();
    const { error, meta } = await client.GET("/v1/items", { timeout: 100, maxRetries: 1 });
    expect(error?.code).toBe("TIMEOUT");
    expect(meta.attempts).toBe(2);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test("a body that stalls after the headers also times out", async () => {
    const client = await clientFor((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"items": [');
    });
    const { error } = await client.GET("/v1/items", { timeout: 150, maxRetries: 0 });
    expect(error?.code).toBe("TIMEOUT");
  });

  test("abort stops the call at once, even during a backoff wait", async () => {
    const client = await clientFor((_req, res) => json(res, 503, {}, { "retry-after": "30" }), { retry: { maxRetryAfterMs: 60_000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const { error, meta } = await client.GET("/v1/items", { signal: controller.signal });
    expect(error?.code).toBe("ABORTED");
    expect(meta.attempts).toBe(1);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test("abort during a request in flight → ABORTED, no retry", async () => {
    const client = await clientFor(() => {
      /* never answers */
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error, meta } = await client.GET("/v1/items", { signal: controller.signal });
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
