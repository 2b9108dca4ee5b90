import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { PorticoError, allStages, createClient, type Credential } from "../../src/index.js";
import { json, useLoopbacks } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";
import { testApiKey, testBearer } from "./helpers/credentials.js";

const { server: serve } = useLoopbacks();

const items = { items: [] };

describe("credentials in the pipeline", () => {
  test("authorize runs once per attempt, with the operation's scheme and scopes", async () => {
    const srv = await serve((_q, r, _b, i) => (i === 0 ? json(r, 503, {}) : json(r, 200, items)));
    const bearer = testBearer(["t1"]);
    const client = createClient<paths>(descriptor, { baseUrl: srv.url, auth: bearer, retry: { baseDelayMs: 5 } }, allStages);
    const { data } = await client.GET("/v1/items");
    expect(data).toEqual(items);
    expect(bearer.seen).toHaveLength(2);
    expect(bearer.seen[0]).toMatchObject({ operation: "GET /v1/items", method: "GET", scheme: "bearerAuth", scopes: [], url: `${srv.url}/v1/items` });
    expect(srv.requests.map((r) => r.headers.authorization)).toEqual(["Bearer t1", "Bearer t1"]);
  });

  test("401 → invalidate once → replay once with the fresh token", async () => {
    const srv = await serve((q, r) =>
      q.headers.authorization === "Bearer fresh" ? json(r, 200, items) : json(r, 401, { code: "TOKEN_EXPIRED", message: "expired" }),
    );
    const bearer = testBearer(["stale", "fresh"]);
    const client = createClient<paths>(descriptor, { baseUrl: srv.url, auth: bearer }, allStages);
    const { data, meta } = await client.GET("/v1/items");
    expect(data).toEqual(items);
    expect(meta.attempts).toBe(2);
    expect(bearer.invalidated).toEqual([0]);
  });

  test("a second 401 is returned, never looped", async () => {
    const srv = await serve((_q, r) => json(r, 401, { code: "INVALID_TOKEN", message: "no" }));
    const bearer = testBearer(["a", "b", "c", "d"]);
    const client = createClient<paths>(descriptor, { baseUrl: srv.url, auth: bearer }, allStages);
    const { error, meta } = await client.GET("/v1/items");
    expect(error?.code).toBe("INVALID_TOKEN");
    expect(meta.attempts).toBe(2);
    expect(bearer.invalidated).toHaveLength(1);
  });

  test("the credential matching the operation's security is chosen", async () => {
    const srv = await serve((q, r, body) => (q.method === "POST" ? json(r, 201, { id: "s", ...JSON.parse(body) }) : json(r, 200, items)));
    const client = createClient<paths>(descriptor, { baseUrl: srv.url, auth: [testApiKey("sk_test_abcdef12")] }, allStages);
    const sale = await client.POST("/v1/sales", { body: { type: "SALE", amount: 1, currency: "NZD" } });
    expect(sale.error).toBeUndefined();
    expect(srv.requests[0]?.headers["x-api-key"]).toBe("sk_test_abcdef12");
    expect(srv.requests[0]?.headers.authorization).toBeUndefined();
    const list = await client.GET("/v1/items");
    expect(list.error?.code).toBe("CREDENTIAL_NOT_ALLOWED");
    expect(list.meta.attempts).toBe(0);
    expect(list.error?.message).not.toContain("sk_test_abcdef12");
    expect(srv.requests).toHaveLength(1);
  });

  test("checkScopes refuses locally when the granted scopes are known and insufficient", async () => {
    const scoped = { ...descriptor, operations: { ...descriptor.operations, "GET /v1/items": { security: [{ bearerAuth: ["catalog:read"] }] } } };
    const srv = await serve((_q, r) => json(r, 200, items));
    const client = createClient<paths>(scoped, { baseUrl: srv.url, auth: testBearer(["t"], { scopes: ["inventory:read"] }), checkScopes: true }, allStages);
    const { error } = await client.GET("/v1/items");
    expect(error?.code).toBe("INSUFFICIENT_SCOPES");
    expect(error?.details).toMatchObject({ missing: ["catalog:read"] });
    expect(srv.requests).toHaveLength(0);
  });

  test("a credential is never sent over plain http to a non-loopback host: refused at construction", () => {
    expect(() => createClient<paths>(descriptor, { baseUrl: "http://api.example.test", auth: testBearer(["t"]) }, allStages)).toThrow(
      expect.objectContaining({ code: "INSECURE_TRANSPORT" }),
    );
    // Without a credential, plain http is the caller's business.
    expect(() => createClient<paths>(descriptor, { baseUrl: "http://api.example.test" }, allStages)).not.toThrow();
  });

  test("a failing credential yields its typed error; a thrown plain error becomes TOKEN_REFRESH_FAILED", async () => {
    const srv = await serve((_q, r) => json(r, 200, items));
    const failing = (thrown: unknown): Credential<"bearer"> => ({
      kind: "bearer",
      fingerprint: "fail…",
      authorize: () => {
        throw thrown;
      },
      toJSON: () => ({ kind: "bearer", fingerprint: "fail…" }),
    });
    const typed = createClient<paths>(descriptor, { baseUrl: srv.url, auth: failing(new PorticoError("SESSION_EXPIRED", "sign in again")) }, allStages);
    expect((await typed.GET("/v1/items")).error?.code).toBe("SESSION_EXPIRED");
    const plain = createClient<paths>(descriptor, { baseUrl: srv.url, auth: failing(new Error("connect ECONNREFUSED client_secret=hunter2")) }, allStages);
    const { error } = await plain.GET("/v1/items");
    expect(error?.code).toBe("TOKEN_REFRESH_FAILED");
    expect(error?.message).not.toContain("hunter2");
    expect(srv.requests).toHaveLength(0);
  });
});

describe("redirects with a credential attached", () => {
  test("same-origin redirects are followed with the credential", async () => {
    const srv = await serve((q, r) => {
      if (q.url === "/v1/items") return void r.writeHead(307, { location: "/v2/items" }).end();
      json(r, 200, items);
    });
    const client = createClient<paths>(descriptor, { baseUrl: srv.url, auth: testBearer(["t"]) }, allStages);
    const { data } = await client.GET("/v1/items");
    expect(data).toEqual(items);
    expect(srv.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ["/v1/items", "Bearer t"],
      ["/v2/items", "Bearer t"],
    ]);
  });

  test("a cross-origin redirect is refused with INSECURE_TRANSPORT and the other origin sees nothing", async () => {
    const other = await serve((_q, r) => json(r, 200, items));
    const srv = await serve((_q, r) => void r.writeHead(302, { location: `${other.url}/steal` }).end());
    const client = createClient<paths>(descriptor, { baseUrl: srv.url, auth: testBearer(["t"]) }, allStages);
    const { error } = await client.GET("/v1/items");
    expect(error?.code).toBe("INSECURE_TRANSPORT");
    expect(other.requests).toHaveLength(0);
  });
});

describe("no secret in serializations", () => {
  test("JSON.stringify and util.inspect of a client show fingerprints only", async () => {
    const secret = "sk_live_supersecretvalue";
    const client = createClient<paths>(descriptor, { baseUrl: "https://api.example.test", auth: testApiKey(secret), headers: { "X-Other": secret } }, allStages);
    const json = JSON.stringify(client);
    expect(JSON.parse(json)).toEqual({ api: "test", baseUrl: "https://api.example.test", credentials: ["sk_live_…"] });
    expect(json).not.toContain("supersecret");
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain("supersecret");
  });
});
