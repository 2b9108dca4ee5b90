/**
 * `@portico/core/testing` used as an app's test would use it: the generated IMS client (and
 * `createClient` with a hand-written descriptor) given a `fakeFetcher`, no socket anywhere.
 */
import { describe, expect, it } from "vitest";
import { createImsApiClient, type components, type paths } from "../../../ims-client/src/index.js";
import { allStages, apiKey, ApiError, bearerToken, createClient, type ApiDescriptor, type Fetcher } from "../../src/index.js";
import { fakeFetcher, networkError, recordingFetcher, resetSharedState, TestingError, type FakeRequest } from "../../src/testing.js";

type Item = components["schemas"]["Item"];

const BASE = "https://api.atrope.dev";
const TOKEN = "ims-access-token-0123456789abcdef";

const item = (id: string, over: Partial<Item> = {}): Item => ({
  id,
  sku: "BOLT-M6",
  name: "M6 bolt",
  status: "active",
  trackingMode: "none",
  baseUomCode: "EA",
  createdAt: "2026-01-05T10:00:00Z",
  updatedAt: "2026-01-05T10:00:00Z",
  ...over,
});

/** Retries run at once: the client's clock sleeps for no time. */
const instant = { now: () => 0, sleep: async () => true };

/**
 * An origin of its own for each client: the process keeps each origin's health (retry budget,
 * circuit breaker), so one test's failed attempts must not hold back the next test's retries.
 */
let origins = 0;
const freshBase = () => `https://t${++origins}.api.atrope.dev`;

function ims(fetcher: Fetcher, baseUrl = freshBase()) {
  return createImsApiClient({ baseUrl, auth: bearerToken(TOKEN), fetcher, clock: instant });
}

describe("fakeFetcher with the generated IMS client", () => {
  it("answers a typed route with a real Response, and the handler sees params, query and headers", async () => {
    const seen: FakeRequest[] = [];
    const fetcher = fakeFetcher<paths>({
      "GET /v1/items/{itemId}": (request) => {
        seen.push(request as FakeRequest);
        return { status: 200, body: item(request.params.itemId), headers: { "x-request-id": "req_42" } };
      },
    });
    const { data, error, meta, response } = await ims(fetcher).GET("/v1/items/{itemId}", { params: { path: { itemId: "itm 1/ä" } } });

    expect(error).toBeUndefined();
    expect(data).toEqual(item("itm 1/ä"));
    expect(meta).toMatchObject({ status: 200, requestId: "req_42", attempts: 1 });
    expect(response).toBeInstanceOf(Response);
    expect(response?.headers.get("content-type")).toBe("application/json");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ route: "GET /v1/items/{itemId}", method: "GET", params: { itemId: "itm 1/ä" }, call: 1, body: undefined });
    expect(seen[0]?.headers["authorization"]).toBe(`Bearer ${TOKEN}`); // the handler is the server: it sees what was sent
  });

  it("parses the JSON body for the handler and records it; query parameters arrive as strings", async () => {
    const fetcher = fakeFetcher<paths>({
      "POST /v1/items": ({ body }) => ({ status: 201, body: item("itm_new", { sku: body.sku, name: body.name }) }),
      "GET /v1/items": ({ query }) => ({ status: 200, body: { data: [item(`limit=${query.limit}`)], nextCursor: null, hasMore: false } }),
    });
    const client = ims(fetcher, BASE);
    const created = await client.POST("/v1/items", { body: { sku: "NUT-M6", name: "M6 nut", baseUomCode: "EA" } });
    expect(created.data).toMatchObject({ id: "itm_new", sku: "NUT-M6", name: "M6 nut" });
    const listed = await client.GET("/v1/items", { params: { query: { limit: 20 } } });
    expect(listed.data?.data[0]?.id).toBe("limit=20");

    const [post] = fetcher.callsTo("POST /v1/items");
    expect(post).toMatchObject({ route: "POST /v1/items", method: "POST", url: `${BASE}/v1/items`, path: "/v1/items", status: 201 });
    expect(post?.body).toEqual({ sku: "NUT-M6", name: "M6 nut", baseUomCode: "EA" });
    expect(post?.headers["content-type"]).toBe("application/json");
    expect(post?.headers["idempotency-key"]).toBe(created.meta.idempotencyKey); // not a credential: kept as sent
    expect(fetcher.callsTo("GET /v1/items")).toMatchObject([{ query: { limit: "20" }, url: `${BASE}/v1/items?limit=20`, status: 200 }]);
    expect(fetcher.calls.map((c) => `${c.method} ${c.path} → ${c.status}`)).toEqual(["POST /v1/items → 201", "GET /v1/items → 200"]);
  });

  it("masks the credential in the recorded headers", async () => {
    const fetcher = fakeFetcher<paths>({ "GET /v1/me": { status: 401, body: { code: "UNAUTHORIZED", message: "token expired" } } });
    await ims(fetcher).GET("/v1/me");
    const recorded = JSON.stringify(fetcher.calls);
    expect(recorded).not.toContain(TOKEN);
    expect(fetcher.calls[0]?.headers["authorization"]).toBe(`Bearer ${TOKEN.slice(0, 8)}…`);
  });

  it("answers a sequence in order, the last answer repeating: a 503 then a 200 is retried", async () => {
    const fetcher = fakeFetcher<paths>({
      "GET /v1/items/{itemId}": [{ status: 503, headers: { "retry-after": "0" } }, ({ params, call }) => ({ status: 200, body: item(`${params.itemId}#${call}`) })],
    });
    const client = ims(fetcher);
    const first = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    expect(first.error).toBeUndefined();
    expect(first.data?.id).toBe("a#2");
    expect(first.meta.attempts).toBe(2);
    const again = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "b" } } });
    expect(again.data?.id).toBe("b#3");
    expect(fetcher.callsTo("GET /v1/items/{itemId}").map((c) => c.status)).toEqual([503, 200, 200]);
  });

  it("networkError() fails like a dropped connection: NETWORK_ERROR, retried with the same Idempotency-Key", async () => {
    const fetcher = fakeFetcher<paths>({
      "POST /v1/items": [networkError(), networkError("socket hang up"), ({ body }) => ({ status: 201, body: item("itm_1", { sku: body.sku }) })],
    });
    const { data, meta } = await ims(fetcher).POST("/v1/items", { body: { sku: "S", name: "N", baseUomCode: "EA" } });
    expect(data?.sku).toBe("S");
    expect(meta.attempts).toBe(3);
    const calls = fetcher.callsTo("POST /v1/items");
    expect(calls.map((c) => c.status)).toEqual([undefined, undefined, 201]);
    expect(new Set(calls.map((c) => c.headers["idempotency-key"])).size).toBe(1);

    const direct = fakeFetcher({ "GET /ping": networkError("refused", "ECONNREFUSED") });
    const rejection = await direct("https://x.test/ping").catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(TypeError);
    expect(rejection).toMatchObject({ message: "fetch failed", cause: { message: "refused", code: "ECONNREFUSED" } });
  });

  it("a declared error reply reaches the app as the typed ApiError", async () => {
    const fetcher = fakeFetcher<paths>({
      "GET /v1/items/{itemId}": ({ params }) => ({ status: 404, body: { code: "NOT_FOUND", message: `no item ${params.itemId}` } }),
    });
    const { error } = await ims(fetcher).GET("/v1/items/{itemId}", { params: { path: { itemId: "gone" } } });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "NOT_FOUND", status: 404 });
    if (error?.status === 404) expect(error.body).toEqual({ code: "NOT_FOUND", message: "no item gone" });
  });

  it("a handler may return its own Response: a proxy's HTML page is UNEXPECTED_RESPONSE", async () => {
    const fetcher = fakeFetcher<paths>({
      "GET /v1/me": () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html" } }),
    });
    const { error, meta } = await createImsApiClient({ baseUrl: freshBase(), auth: bearerToken(TOKEN), fetcher, retry: false }).GET("/v1/me");
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(meta).toMatchObject({ status: 502, attempts: 1 });
  });

  it("an unknown route rejects with UNHANDLED_REQUEST naming the request and the known routes, not retried", async () => {
    const fetcher = fakeFetcher<paths>({
      "GET /v1/items/{itemId}": { status: 200, body: item("x") },
      "GET /v1/me": { status: 200, body: { tenantId: "t", subject: "u", permissions: [], authMode: "jwt" } },
    });
    const { error, meta } = await ims(fetcher).GET("/v1/uoms");
    expect(error).toBeInstanceOf(TestingError);
    expect(error?.code).toBe("UNHANDLED_REQUEST");
    expect(error?.message).toBe(
      "The fake fetcher has no route for GET /v1/uoms: no route template matches its path. Known routes: GET /v1/items/{itemId}, GET /v1/me. Add a route for it to fakeFetcher({ ... }) or fix the request.",
    );
    expect(meta.attempts).toBe(1);
    expect(fetcher.unhandled).toMatchObject([{ route: undefined, method: "GET", path: "/v1/uoms", status: undefined }]);
    expect(fetcher.calls).toHaveLength(1);

    const patch = await ims(fetcher).PATCH("/v1/items/{itemId}", { params: { path: { itemId: "x" } }, body: { name: "renamed" } });
    expect(patch.error?.message).toContain("the path has routes for other methods only (GET /v1/items/{itemId})");
    expect(fetcher.unhandled[1]?.body).toEqual({ name: "renamed" });
  });

  it("under throwOnError the unhandled request is thrown", async () => {
    const fetcher = fakeFetcher<paths>({});
    const client = createImsApiClient({ baseUrl: freshBase(), fetcher, throwOnError: true });
    await expect(client.GET("/v1/me")).rejects.toMatchObject({ name: "TestingError", code: "UNHANDLED_REQUEST" });
  });

  it("a handler's mistake is INVALID_REPLY naming the route; a throwing handler rejects with what it threw", async () => {
    const fetcher = fakeFetcher({
      "GET /v1/me": () => ({ status: 99 }),
      "GET /v1/uoms": () => ({ status: 200, body: { a: 1 }, text: "both" }),
      "GET /v1/facilities": () => {
        throw new TypeError("fetch failed");
      },
    });
    const client = createImsApiClient({ baseUrl: freshBase(), fetcher, retry: false });
    const me = await client.GET("/v1/me");
    expect(me.error).toMatchObject({ code: "INVALID_REPLY", message: 'The fake route "GET /v1/me" answered status 99; a reply\'s status is an integer from 200 to 599 (return a Response for anything else).' });
    expect((await client.GET("/v1/uoms")).error?.message).toContain("answered both body and text for 200");
    expect((await client.GET("/v1/facilities")).error?.code).toBe("NETWORK_ERROR");
  });

  it("honours the signal: a pending handler is abandoned when the caller aborts", async () => {
    let reached!: () => void;
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    const fetcher = fakeFetcher<paths>({
      "GET /v1/me": () => {
        reached();
        return new Promise(() => undefined); // never answers
      },
    });
    const controller = new AbortController();
    const pending = ims(fetcher).GET("/v1/me", { signal: controller.signal });
    await arrived;
    controller.abort();
    const { error } = await pending;
    expect(error?.code).toBe("ABORTED");
    expect(fetcher.calls[0]?.status).toBeUndefined();
  });

  it("use() overrides a route until reset(), which also restarts sequences and clears the calls", async () => {
    const fetcher = fakeFetcher<paths>({ "GET /v1/items/{itemId}": [{ status: 503 }, { status: 200, body: item("base") }] });
    const client = ims(fetcher);
    fetcher.use({ "GET /v1/items/{itemId}": { status: 404, body: { code: "NOT_FOUND", message: "gone" } } });
    expect((await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } })).error?.code).toBe("NOT_FOUND");
    expect(fetcher.calls).toHaveLength(1);
    fetcher.reset();
    expect(fetcher.calls).toHaveLength(0);
    const { data, error, meta } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    expect(error).toBeUndefined();
    expect(data?.id).toBe("base");
    expect(meta.attempts).toBe(2);
  });

  it("matches templates under the client's base path; with baseUrl, only under it", async () => {
    const loose = fakeFetcher<paths>({ "GET /v1/items/{itemId}": ({ params }) => ({ status: 200, body: item(params.itemId) }) });
    const behindGateway = createImsApiClient({ baseUrl: "https://gateway.example.com/ims", auth: bearerToken(TOKEN), fetcher: loose });
    expect((await behindGateway.GET("/v1/items/{itemId}", { params: { path: { itemId: "g" } } })).data?.id).toBe("g");

    const strict = fakeFetcher<paths>({ "GET /v1/items/{itemId}": ({ params }) => ({ status: 200, body: item(params.itemId) }) }, { baseUrl: "https://api.atrope.dev" });
    expect((await ims(strict, BASE).GET("/v1/items/{itemId}", { params: { path: { itemId: "s" } } })).data?.id).toBe("s");
    const elsewhere = createImsApiClient({ baseUrl: "https://gateway.example.com/ims", fetcher: strict });
    const { error } = await elsewhere.GET("/v1/items/{itemId}", { params: { path: { itemId: "s" } } });
    expect(error?.message).toContain("it is not under the baseUrl option (https://api.atrope.dev/)");
  });

  it("a literal template wins over a parameter at the same place", async () => {
    const fetcher = fakeFetcher({
      "GET /v1/items/{itemId}": { status: 200, body: { by: "id" } },
      "GET /v1/items/search": { status: 200, body: { by: "search" } },
    });
    expect(await (await fetcher("https://api.atrope.dev/v1/items/search")).json()).toEqual({ by: "search" });
    expect(await (await fetcher("https://api.atrope.dev/v1/items/other")).json()).toEqual({ by: "id" });
  });

  it("refuses malformed routes and options at construction", () => {
    const invalid = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error;
      }
      throw new Error("did not throw");
    };
    expect(invalid(() => fakeFetcher({ "get /v1/me": { status: 200 } } as never))).toMatchObject({ code: "INVALID_OPTIONS", message: expect.stringContaining('Route "get /v1/me" is not a route key') });
    expect(invalid(() => fakeFetcher({ "GET /v1/items/{itemId": { status: 200 } }))).toMatchObject({ code: "INVALID_OPTIONS", message: expect.stringContaining("unbalanced") });
    expect(invalid(() => fakeFetcher({ "GET /v1/me": [] as never }))).toMatchObject({ code: "INVALID_OPTIONS", message: expect.stringContaining("empty sequence") });
    expect(invalid(() => fakeFetcher({ "GET /v1/me": new Response("x") as never }))).toMatchObject({ code: "INVALID_OPTIONS", message: expect.stringContaining("return it from a handler") });
    expect(invalid(() => fakeFetcher({ "GET /v1/me": { status: 204, body: {} } }))).toMatchObject({ code: "INVALID_REPLY" });
    expect(invalid(() => fakeFetcher({}, { baseUrl: "api.atrope.dev" }))).toMatchObject({ code: "INVALID_OPTIONS", message: expect.stringContaining("option baseUrl must be an absolute URL") });
    expect(invalid(() => fakeFetcher({}, { maskHeader: ["x"] } as never))).toMatchObject({ code: "INVALID_OPTIONS" });
  });
});

// --- createClient with a hand-written descriptor, and the recorder's masking ----------------------

const shop: ApiDescriptor = {
  name: "shop",
  servers: [{ url: "https://shop.example.com/api" }],
  securitySchemes: { key: { type: "apiKey", in: "query", name: "api_key" } },
  security: [{ key: [] }],
  operations: { "POST /orders": { idempotent: true }, "GET /orders/{orderId}": {} },
};
type ShopPaths = {
  "/orders": { post: { parameters: {}; requestBody: { content: { "application/json": { sku: string; card: { number: string; password: string } } } }; responses: { 201: { content: { "application/json": { id: string } } } } } };
  "/orders/{orderId}": { get: { parameters: { path: { orderId: string } }; responses: { 200: { content: { "application/json": { id: string } } } } } };
};
const SHOP_KEY = "shop-live-key-abcdefghijklmnop";

describe("fakeFetcher with createClient", () => {
  it("answers an untyped table and records masked query credentials and secret body fields", async () => {
    const fetcher = fakeFetcher({
      "POST /orders": ({ body }) => ({ status: 201, body: { id: `ord_${(body as { sku: string }).sku}` } }),
    });
    const client = createClient<ShopPaths>(shop, { auth: apiKey(SHOP_KEY), fetcher, retry: false });
    const { data } = await client.POST("/orders", { body: { sku: "A1", card: { number: "4242", password: "hunter2-hunter2" } } });
    expect(data).toEqual({ id: "ord_A1" });

    const [order] = fetcher.callsTo("POST /orders");
    expect(order?.url).toBe("https://shop.example.com/api/orders?api_key=shop-liv%E2%80%A6");
    expect(order?.query).toEqual({ api_key: "shop-liv…" });
    expect(order?.body).toEqual({ sku: "A1", card: { number: "4242", password: "hun…" } });
    expect(JSON.stringify(fetcher.calls)).not.toContain(SHOP_KEY);
    expect(JSON.stringify(fetcher.calls)).not.toContain("hunter2-hunter2");
  });

  it("masks credential headers by name, and the maskHeaders option's", async () => {
    const fetcher = fakeFetcher({ "GET /orders/{orderId}": { status: 200, body: { id: "o" } } }, { maskHeaders: ["X-Partner"] });
    await fetcher("https://shop.example.com/api/orders/o", {
      method: "GET",
      headers: {
        Authorization: "Basic dXNlcjpzZWNyZXQtcGFzc3dvcmQ=",
        "X-Api-Key": "sk_test_abcdefghijklmnop",
        "X-Session-Token": "session-abcdefghijklmnop",
        Cookie: "sid=abcdefghijklmnopqrst; theme=dark",
        "X-Partner": "partner-secret-value",
        "Idempotency-Key": "key-1",
        Accept: "application/json",
      },
    });
    expect(fetcher.calls[0]?.headers).toEqual({
      authorization: "Basic …",
      "x-api-key": "sk_test_…",
      "x-session-token": "session-…",
      cookie: "sid=abcdefgh…; theme=d…",
      "x-partner": "partner-…",
      "idempotency-key": "key-1",
      accept: "application/json",
    });
  });

  it("recordingFetcher records what another fetcher sends and finds calls by template", async () => {
    const inner = fakeFetcher({ "GET /orders/{orderId}": ({ params }) => ({ status: 200, body: { id: params["orderId"] } }) });
    const fetcher = recordingFetcher<ShopPaths>(inner);
    const client = createClient<ShopPaths>(shop, { auth: apiKey(SHOP_KEY), fetcher });
    const { data } = await client.GET("/orders/{orderId}", { params: { path: { orderId: "o-7" } } });
    expect(data).toEqual({ id: "o-7" });
    expect(fetcher.callsTo("GET /orders/{orderId}")).toMatchObject([{ route: undefined, method: "GET", path: "/api/orders/o-7", status: 200 }]);
    expect(fetcher.callsTo("POST /orders")).toEqual([]);
    expect(inner.calls).toHaveLength(1);
    fetcher.clear();
    expect(fetcher.calls).toEqual([]);
  });

  it("answers a direct call with a real Response: JSON, text, and no body for 204", async () => {
    const fetcher = fakeFetcher({
      "GET /json": { status: 200, body: { ok: true }, headers: { etag: '"v1"' } },
      "GET /text": { status: 200, text: "plain" },
      "DELETE /thing": { status: 204 },
    });
    const json = await fetcher("https://x.test/json");
    expect([json.status, json.headers.get("content-type"), json.headers.get("etag"), await json.json()]).toEqual([200, "application/json", '"v1"', { ok: true }]);
    const text = await fetcher("https://x.test/text");
    expect([text.headers.get("content-type"), await text.text()]).toEqual(["text/plain;charset=utf-8", "plain"]);
    const empty = await fetcher("https://x.test/thing", { method: "DELETE", headers: {} });
    expect([empty.status, empty.body]).toEqual([204, null]);
  });
});

describe("the testing entry runs where fetch runs", () => {
  it("imports no Node built-in, directly or through the core modules it uses", async () => {
    const { readFileSync } = await import("node:fs");
    const { dirname, resolve } = await import("node:path");
    const { fileURLToPath } = await import("node:url");
    const seen = new Set<string>();
    const builtins: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)) {
        if (spec === undefined) continue;
        if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
        else if (spec.startsWith("node:") || ["fs", "path", "url", "http", "https", "crypto", "buffer", "stream", "util", "events"].includes(spec)) builtins.push(`${file}: ${spec}`);
      }
    };
    visit(fileURLToPath(new URL("../../src/testing.ts", import.meta.url)));
    expect(seen.size).toBeGreaterThan(8);
    expect(builtins).toEqual([]);
  });
});

describe("resetSharedState", () => {
  it("forgets an open circuit and a spent rate-limit window, so the next test starts as a fresh process would", async () => {
    const api: ApiDescriptor = { name: "shared", servers: [{ url: "https://shared.example.test" }], securitySchemes: {}, operations: { "GET /v1/ping": {} } };
    const down = fakeFetcher({ "GET /v1/ping": { status: 503 } });
    const client = createClient(api, { fetcher: down, retry: false }, allStages) as unknown as { GET(path: string): Promise<{ error?: { code: string } }> };
    for (let i = 0; i < 10; i++) expect((await client.GET("/v1/ping")).error?.code).not.toBe("CIRCUIT_OPEN");
    expect((await client.GET("/v1/ping")).error?.code).toBe("CIRCUIT_OPEN");
    resetSharedState();
    const up = fakeFetcher({ "GET /v1/ping": { status: 200, body: { ok: true } } });
    const next = createClient(api, { fetcher: up, retry: false }, allStages) as unknown as { GET(path: string): Promise<{ error?: unknown }> };
    expect((await next.GET("/v1/ping")).error).toBeUndefined();
  });
});
