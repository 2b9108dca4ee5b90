import { afterEach, describe, expect, test } from "vitest";
import { allStages, createClient, type Middleware } from "../../src/index.js";
import { json, startLoopback, type Loopback } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";
import { testBearer } from "./helpers/credentials.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("hooks", () => {
  test("fire per attempt in order; onRequest may add headers but never sees the credential", async () => {
    server = await startLoopback((_q, r, _b, i) => (i === 0 ? json(r, 500, {}) : json(r, 200, { items: [] }, { "x-credits-remaining": "7" })));
    const events: string[] = [];
    const client = createClient<paths>(descriptor, {
      baseUrl: server.url,
      auth: testBearer(["secret-token"]),
      retry: { baseDelayMs: 1 },
      hooks: {
        onRequest: (e) => {
          events.push(`request#${e.attempt}`);
          expect(JSON.stringify(e.headers)).not.toContain("secret-token");
          e.headers["x-trace-id"] = `trace-${e.attempt}`;
        },
        onResponse: (e) => void events.push(`response#${e.attempt}:${e.response.status}`),
        onRetry: (e) => void events.push(`retry#${e.attempt}:${e.status}`),
        onCredits: (c) => void events.push(`credits:${c.remaining}`),
        onError: () => void events.push("error"),
      },
    }, allStages);
    const { error } = await client.GET("/v1/items");
    expect(error).toBeUndefined();
    expect(events).toEqual(["request#1", "response#1:500", "retry#1:500", "request#2", "credits:7", "response#2:200"]);
    expect(server.requests.map((r) => r.headers["x-trace-id"])).toEqual(["trace-1", "trace-2"]);
  });

  test("onError fires once with the final error and meta", async () => {
    server = await startLoopback((_q, r) => json(r, 404, { code: "ITEM_NOT_FOUND", message: "x" }));
    const seen: unknown[] = [];
    const client = createClient<paths>(descriptor, { baseUrl: server.url, hooks: { onError: (e) => void seen.push([e.operation, e.error.code, e.meta.attempts]) } }, allStages);
    await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "x" } } });
    expect(seen).toEqual([["GET /v1/items/{itemId}", "ITEM_NOT_FOUND", 1]]);
  });
});

describe("openapi-fetch middleware", () => {
  test("onRequest can rewrite the request, onResponse can replace the response, per attempt", async () => {
    server = await startLoopback((q, r, body) => json(r, 201, { id: String(q.headers["x-mw"]), ...JSON.parse(body), quantity: 0 }));
    const client = createClient<paths>(descriptor, { baseUrl: server.url }, allStages);
    const calls: string[] = [];
    const mw: Middleware = {
      onRequest({ request, schemaPath }) {
        calls.push(`req ${request.method} ${schemaPath}`);
        request.headers.set("x-mw", "from-middleware");
        return request;
      },
      async onResponse({ response }) {
        calls.push(`res ${response.status}`);
        const body = (await response.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, name: `${String(body.name)}!` }), { status: 201, headers: { "content-type": "application/json" } });
      },
    };
    client.use(mw);
    const { data } = await client.POST("/v1/items", { body: { name: "bolt" } });
    expect(data).toEqual({ id: "from-middleware", name: "bolt!", quantity: 0 });
    expect(server.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(calls).toEqual(["req POST /v1/items", "res 201"]);

    client.eject(mw);
    const plain = await client.POST("/v1/items", { body: { name: "nut" } });
    expect(plain.data).toEqual({ id: "undefined", name: "nut", quantity: 0 });
  });

  test("onRequest returning a Response short-circuits the network", async () => {
    server = await startLoopback((_q, r) => json(r, 500, {}));
    const client = createClient<paths>(descriptor, { baseUrl: server.url }, allStages);
    client.use({ onRequest: () => new Response(JSON.stringify({ items: [] }), { headers: { "content-type": "application/json" } }) });
    const { data } = await client.GET("/v1/items");
    expect(data).toEqual({ items: [] });
    expect(server.requests).toHaveLength(0);
  });

  test("use() rejects objects that are not middleware", () => {
    const client = createClient<paths>(descriptor, undefined, allStages);
    expect(() => client.use({} as Middleware)).toThrow(/Middleware must be an object/);
  });
});
