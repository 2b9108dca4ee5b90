import { afterEach, describe, expect, test } from "vitest";
import { allStages, createClient } from "../../src/index.js";
import { json, startLoopback, type Handler, type Loopback } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";
import { testApiKey } from "./helpers/credentials.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, withKey = true) {
  server = await startLoopback(handler);
  return createClient<paths>(descriptor, {
    baseUrl: server.url,
    ...(withKey ? { auth: testApiKey("sk_test_4f9a2b7c1d") } : {}),
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  }, allStages);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sale = { type: "SALE", amount: 2500, currency: "NZD" } as const;

describe("Idempotency-Key", () => {
  test("a sale whose connection is cut after the server committed it is retried with the same key; the ledger holds one sale", async () => {
    const ledger = new Map<string, { id: string; type: string; amount: number; currency: string }>();
    const client = await clientFor((req, res, body, i) => {
      const key = String(req.headers["idempotency-key"]);
      const existing = ledger.get(key);
      if (existing) return json(res, 201, existing, { "idempotent-replayed": "true" });
      const committed = { id: `sale_${ledger.size + 1}`, ...(JSON.parse(body) as typeof sale) };
      ledger.set(key, committed);
      if (i === 0) {
        req.socket.destroy(); // committed, but the client never hears back
        return;
      }
      json(res, 201, committed);
    });
    const { data, error, meta } = await client.POST("/v1/sales", { body: sale });
    expect(error).toBeUndefined();
    expect(data).toEqual({ id: "sale_1", ...sale });
    expect(ledger.size).toBe(1);
    expect(meta.attempts).toBe(2);
    expect(meta.idempotencyKey).toMatch(UUID);
    const keys = server?.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toEqual([meta.idempotencyKey, meta.idempotencyKey]);
    expect(server?.requests[0]?.body).toBe(server?.requests[1]?.body);
    expect(server?.requests[0]?.headers["x-api-key"]).toBe("sk_test_4f9a2b7c1d");
  });

  test("distinct calls never share a key; safe methods get none", async () => {
    const client = await clientFor((req, res, body) =>
      req.method === "GET" ? json(res, 200, { items: [] }) : json(res, 201, { id: "s", ...JSON.parse(body) }),
    );
    const a = await client.POST("/v1/sales", { body: sale });
    const b = await client.POST("/v1/sales", { body: sale });
    await client.GET("/v1/items");
    expect(a.meta.idempotencyKey).toMatch(UUID);
    expect(b.meta.idempotencyKey).toMatch(UUID);
    expect(a.meta.idempotencyKey).not.toBe(b.meta.idempotencyKey);
    expect(server?.requests[2]?.headers["idempotency-key"]).toBeUndefined();
  });

  test("a key passed by the caller (option or header) is used as is", async () => {
    const client = await clientFor((_req, res, body) => json(res, 201, { id: "s", ...JSON.parse(body) }));
    const viaOption = await client.POST("/v1/sales", { body: sale, idempotencyKey: "order-42" });
    const viaHeader = await client.POST("/v1/sales", { body: sale, params: { header: { "Idempotency-Key": "order-43" } } });
    expect(viaOption.meta.idempotencyKey).toBe("order-42");
    expect(viaHeader.meta.idempotencyKey).toBe("order-43");
    expect(server?.requests.map((r) => r.headers["idempotency-key"])).toEqual(["order-42", "order-43"]);
  });

  test("409 (first request still in flight) is retried with backoff and the same key", async () => {
    const client = await clientFor((_req, res, body, i) =>
      i < 2 ? json(res, 409, { code: "REQUEST_IN_PROGRESS", message: "in flight" }) : json(res, 201, { id: "s1", ...JSON.parse(body) }),
    );
    const { data, meta } = await client.POST("/v1/sales", { body: sale });
    expect(data).toEqual({ id: "s1", ...sale });
    expect(meta.attempts).toBe(3);
    expect(new Set(server?.requests.map((r) => r.headers["idempotency-key"])).size).toBe(1);
  });

  test("409 with a declared code the spec marks retryable (IDEMPOTENCY_KEY_IN_USE) is retried with the same key", async () => {
    const client = await clientFor((_req, res, body, i) =>
      i < 2
        ? json(res, 409, { code: "IDEMPOTENCY_KEY_IN_USE", message: "first request still in progress" })
        : json(res, 201, { id: "s1", ...JSON.parse(body) }),
    );
    const { data, error, meta } = await client.POST("/v1/sales", { body: sale });
    expect(error).toBeUndefined();
    expect(data).toEqual({ id: "s1", ...sale });
    expect(meta.attempts).toBe(3);
    expect(new Set(server?.requests.map((r) => r.headers["idempotency-key"]))).toEqual(new Set([meta.idempotencyKey]));
  });

  test("409 with a declared code not marked retryable is a real conflict: one attempt, the typed error", async () => {
    const client = await clientFor((_req, res) => json(res, 409, { code: "DUPLICATE_REFERENCE", message: "reference ord-7 already used" }));
    const { error, meta } = await client.POST("/v1/sales", { body: sale });
    expect(error?.code).toBe("DUPLICATE_REFERENCE");
    expect(error?.status).toBe(409);
    expect(meta.attempts).toBe(1);
    expect(server?.requests).toHaveLength(1);
  });

  test("a retryable code that keeps coming back ends, after maxRetries, in that typed error", async () => {
    const retried: (string | undefined)[] = [];
    server = await startLoopback((_req, res) => json(res, 409, { code: "IDEMPOTENCY_KEY_IN_USE", message: "still in progress" }));
    const client = createClient<paths>(descriptor, {
      baseUrl: server.url,
      auth: testApiKey("sk_test_4f9a2b7c1d"),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      hooks: { onRetry: (event) => void retried.push(`${event.status} ${event.error?.code}`) },
    }, allStages);
    const { error, meta } = await client.POST("/v1/sales", { body: sale });
    expect(error?.code).toBe("IDEMPOTENCY_KEY_IN_USE");
    expect(meta.attempts).toBe(3);
    expect(retried).toEqual(["409 IDEMPOTENCY_KEY_IN_USE", "409 IDEMPOTENCY_KEY_IN_USE"]);
  });

  test("a declared code marked retryable makes a status retryable that is not by itself (423 TERMINAL_BUSY)", async () => {
    const client = await clientFor((_req, res, body, i) =>
      i === 0
        ? json(res, 423, { code: "TERMINAL_BUSY", message: "terminal is busy" }, { "retry-after": "0" })
        : json(res, 201, { id: "s2", ...JSON.parse(body) }),
    );
    const { data, meta } = await client.POST("/v1/sales", { body: sale });
    expect(data).toEqual({ id: "s2", ...sale });
    expect(meta.attempts).toBe(2);
  });

  test("409 on a call without an idempotency key is a conflict, not retried", async () => {
    const client = await clientFor((_req, res) => json(res, 409, { message: "duplicate name" }), false);
    const { error, meta } = await client.POST("/v1/items", { body: { name: "bolt" } });
    expect(error?.status).toBe(409);
    expect(meta.attempts).toBe(1);
  });

  test("422 for a reused key with a different payload → IDEMPOTENCY_KEY_REUSED, not retried", async () => {
    const client = await clientFor((_req, res) => json(res, 422, { message: "Idempotency-Key already used with another payload" }));
    const { error, meta } = await client.POST("/v1/sales", { body: sale, idempotencyKey: "order-42" });
    expect(error?.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(error?.status).toBe(422);
    expect(error?.details).toMatchObject({ idempotencyKey: "order-42" });
    expect(meta.attempts).toBe(1);
  });

  test("422 without an idempotency key is not mistaken for key reuse", async () => {
    const client = await clientFor((_req, res) => json(res, 422, { message: "bad" }), false);
    const { error } = await client.POST("/v1/items", { body: { name: "bolt" } });
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
  });
});
