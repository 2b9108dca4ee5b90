import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { runSandbox, type RunningSandbox } from "../src/framework/run-sandbox.js";
import type { OpenApiDocument } from "../src/framework/spec.js";
import { validateRequests } from "../src/validate.js";
import type { AtlasControl } from "../src/apis/atlas/index.js";
import type { EripControl } from "../src/apis/erip/index.js";
import type { SandboxControl } from "../src/sandbox-apis.js";
import type { ApiSandbox, SandboxContext } from "../src/types.js";
import { EripProblem, type EripErrorCode } from "../src/apis/erip/http.js";
import { EudrProblem, type EudrErrorCode } from "../src/apis/eudr/http.js";

/** A small spec the test app follows: one GET with a path/query parameter, one idempotent POST, one form POST. */
const spec: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "test", version: "1" },
  servers: [{ url: "https://example.test/base" }],
  paths: {
    "/things/{thingId}": {
      get: {
        operationId: "getThing",
        parameters: [
          { name: "thingId", in: "path", required: true, schema: { type: "string", pattern: "^th_[a-z0-9]+$" } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 10 } },
        ],
        responses: { "200": { description: "ok" }, "404": { $ref: "#/components/responses/NotFound" } },
      },
    },
    "/things": {
      post: {
        operationId: "createThing",
        parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewThing" } } } },
        responses: { "201": { description: "created" }, "400": { $ref: "#/components/responses/BadRequest" } },
      },
    },
    "/token": {
      post: {
        operationId: "token",
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": {
              schema: { type: "object", required: ["grant_type"], properties: { grant_type: { type: "string", enum: ["client_credentials"] }, ttl: { type: "integer" } } },
            },
          },
        },
        responses: { "200": { description: "ok" }, "400": { $ref: "#/components/responses/BadRequest" } },
      },
    },
  },
  components: {
    parameters: { IdempotencyKey: { name: "Idempotency-Key", in: "header", required: true, schema: { type: "string", minLength: 1 } } },
    schemas: {
      NewThing: {
        type: "object",
        additionalProperties: false,
        required: ["name", "size"],
        properties: { name: { type: "string", minLength: 1 }, size: { $ref: "#/components/schemas/Size" }, at: { type: "string", format: "date-time" } },
      },
      Size: { type: "integer", minimum: 1 },
    },
    responses: {
      BadRequest: {
        description: "bad",
        content: {
          "application/json": {
            schema: { type: "object", properties: { code: { type: "string", enum: ["VALIDATION_ERROR", "IDEMPOTENCY_KEY_MISSING"] } } },
          },
        },
      },
      NotFound: {
        description: "nf",
        content: { "application/json": { schema: { type: "object", properties: { code: { type: "string", enum: ["THING_NOT_FOUND"] } } } } },
      },
    },
  },
};

let handled = 0;
let seenOrigins: Readonly<Record<string, string>> | undefined;
let clockSeen = 0;

function createTestSandbox(ctx: SandboxContext): ApiSandbox {
  seenOrigins = ctx.origins;
  const api = new Hono();
  api.get("/plain", (c) => {
    handled += 1;
    return c.json({ ok: true, n: handled });
  });
  api.get("/now", (c) => c.json({ now: ctx.now() }));
  api.post("/plain", async (c) => {
    handled += 1;
    return c.json({ ok: true, n: handled }, 201);
  });
  const root = new Hono();
  root.route("/", api);
  root.use("/base/*", validateRequests(spec));
  root.get("/base/things/:id", (c) => c.json({ id: c.req.param("id") }));
  root.post("/base/things", async (c) => c.json(await c.req.json(), 201));
  root.post("/base/token", async (c) => c.json({ form: Object.fromEntries(new URLSearchParams(await c.req.text())) }));
  root.all("/base/*", (c) => c.json({ unreachable: true }));

  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", (ws) => ws.send(JSON.stringify({ type: "hello", at: ctx.now() })));
  const auth = new Hono();
  auth.get("/who", (c) => c.json({ origin: "auth" }));
  clockSeen = ctx.now();
  return {
    apps: { api: root, auth },
    upgrade: (request, socket, head) => {
      if (!request.url?.startsWith("/events")) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
    },
    control: { wss },
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

let sandbox: RunningSandbox<"atlas", { atlas: ApiSandbox }>; // a test app played on the atlas origins
let base: string;

beforeAll(async () => {
  sandbox = await runSandbox({ atlas: createTestSandbox }, { apis: ["atlas"] });
  base = sandbox.urls.atlas.api;
});
afterAll(async () => {
  await sandbox.stop();
});

describe("origins", () => {
  it("binds every origin of the API before the factory runs and serves each app on its own", async () => {
    expect(seenOrigins).toEqual(sandbox.urls.atlas);
    expect(sandbox.urls.atlas.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.urls.atlas.auth).not.toBe(sandbox.urls.atlas.api);
    expect(await (await fetch(`${sandbox.urls.atlas.auth}/who`)).json()).toEqual({ origin: "auth" });
    const missing = await fetch(`${sandbox.urls.atlas.auth}/plain`);
    expect(missing.status).toBe(404);
  });

  it("refuses an app for an origin that is not bound, and unknown APIs", async () => {
    const bad = (): ApiSandbox => ({ apps: { api: new Hono(), elsewhere: new Hono() }, control: {} });
    await expect(runSandbox({ eudr: bad }, { apis: ["eudr"] })).rejects.toThrow(/"elsewhere"/);
    await expect(runSandbox({}, { apis: ["eudr"] })).rejects.toThrow(/no sandbox factory/);
  });
});

describe("fault injection", () => {
  it("answers a status sequence with Retry-After, then handles normally", async () => {
    sandbox.faults("atlas").inject({ route: "GET /plain", statuses: [503, 429], retryAfter: "2" });
    const first = await fetch(`${base}/plain`);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("2");
    expect(await first.json()).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    const second = await fetch(`${base}/plain`);
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ code: "RATE_LIMITED" });
    const third = await fetch(`${base}/plain`);
    expect(third.status).toBe(200);
  });

  it("matches per route and method only", async () => {
    sandbox.faults("atlas").inject({ route: "POST /plain", statuses: [500] });
    expect((await fetch(`${base}/plain`)).status).toBe(200);
    expect((await fetch(`${base}/plain`, { method: "POST" })).status).toBe(500);
    expect((await fetch(`${base}/plain`, { method: "POST" })).status).toBe(201);
  });

  it("matches path templates", async () => {
    sandbox.faults("atlas").inject({ route: "GET /base/things/{thingId}", statuses: [502] });
    expect((await fetch(`${base}/base/things/th_1`)).status).toBe(502);
    expect((await fetch(`${base}/base/things/th_1`)).status).toBe(200);
  });

  it("adds latency", async () => {
    sandbox.faults("atlas").inject({ route: "GET /plain", latencyMs: 300 });
    const started = performance.now();
    expect((await fetch(`${base}/plain`)).status).toBe(200);
    // A lower bound only: a busy machine can make the answer later, never earlier than the delay.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("resets the connection before handling: the handler never runs", async () => {
    const before = handled;
    sandbox.faults("atlas").inject({ route: "POST /plain", reset: "before" });
    await expect(fetch(`${base}/plain`, { method: "POST" })).rejects.toThrow();
    expect(handled).toBe(before);
  });

  it("resets the connection after the handler committed: the effect happened, the answer is lost", async () => {
    const before = handled;
    sandbox.faults("atlas").inject({ route: "POST /plain", reset: "after" });
    await expect(fetch(`${base}/plain`, { method: "POST" })).rejects.toThrow();
    expect(handled).toBe(before + 1);
    const next = await fetch(`${base}/plain`, { method: "POST" });
    expect(next.status).toBe(201);
    expect(await next.json()).toEqual({ ok: true, n: before + 2 });
  });

  it("answers a malformed body verbatim", async () => {
    sandbox.faults("atlas").inject({ route: "*", malformed: { status: 200, contentType: "application/json", body: '{"ok": tru' } });
    const response = await fetch(`${base}/plain`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok": tru');
  });

  it("is controllable over HTTP on each origin (inject, list, clear) and rejects bad rules", async () => {
    const injected = await fetch(`${base}/__sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ route: "GET /plain", statuses: [503], times: 3 }]),
    });
    expect(injected.status).toBe(201);
    const listed = (await (await fetch(`${sandbox.urls.atlas.auth}/__sandbox/faults`)).json()) as { rules: Array<{ remaining: number }> };
    expect(listed.rules).toEqual([{ rule: { route: "GET /plain", statuses: [503], times: 3 }, remaining: 3 }]);
    expect((await fetch(`${base}/plain`)).status).toBe(503);
    expect((await fetch(`${base}/__sandbox/faults`, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(`${base}/plain`)).status).toBe(200);
    expect(sandbox.faults("atlas").list()).toEqual([]);

    const bad = await fetch(`${base}/__sandbox/faults`, { method: "POST", body: JSON.stringify({ route: "GET /plain", statuses: [42] }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "VALIDATION_ERROR" });
    const notJson = await fetch(`${base}/__sandbox/faults`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
    expect(() => sandbox.faults("atlas").inject({ route: "nonsense" })).toThrow(TypeError);
  });

  it("applies to WebSocket upgrades too", async () => {
    sandbox.faults("atlas").inject({ route: "GET /events", statuses: [503], retryAfter: "1" });
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/events`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => reject(new Error("opened despite the fault")));
      ws.on("error", () => undefined);
    });
    expect(status).toBe(503);
  });
});

describe("CORS for browser callers", () => {
  it("answers preflights before faults and adds CORS headers to every answer, injected ones included", async () => {
    sandbox.faults("atlas").inject({ route: "*", statuses: [503], retryAfter: "1" });
    const preflight = await fetch(`${base}/plain`, {
      method: "OPTIONS",
      headers: { origin: "http://app.test", "access-control-request-method": "POST", "access-control-request-headers": "x-api-key,idempotency-key" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://app.test");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("x-api-key,idempotency-key");
    const injected = await fetch(`${base}/plain`, { headers: { origin: "http://app.test" } });
    expect(injected.status).toBe(503);
    expect(injected.headers.get("access-control-allow-origin")).toBe("http://app.test");
    expect(injected.headers.get("access-control-expose-headers")).toBe("*");
    const plain = await fetch(`${base}/plain`);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("WebSocket routing and clock", () => {
  it("routes upgrades on the api origin to ApiSandbox.upgrade", async () => {
    const message = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/events`);
      ws.on("message", (data) => {
        resolve(String(data));
        ws.close();
      });
      ws.on("error", reject);
    });
    expect(JSON.parse(message)).toMatchObject({ type: "hello" });
  });

  it("moves ctx.now() in process and over HTTP", async () => {
    const before = Date.now();
    const t0 = ((await (await fetch(`${base}/now`)).json()) as { now: number }).now;
    // The real time, read while the request was in flight (however long that took).
    expect(t0).toBeGreaterThanOrEqual(before);
    expect(t0).toBeLessThanOrEqual(Date.now());
    sandbox.clock.advance(3_600_000);
    const t1 = ((await (await fetch(`${base}/now`)).json()) as { now: number }).now;
    expect(t1 - t0).toBeGreaterThanOrEqual(3_600_000);
    const moved = await fetch(`${base}/__sandbox/clock`, { method: "POST", body: JSON.stringify({ advanceMs: 86_400_000 }) });
    expect(moved.status).toBe(200);
    const t2 = ((await (await fetch(`${base}/now`)).json()) as { now: number }).now;
    expect(t2 - t1).toBeGreaterThanOrEqual(86_400_000);
    sandbox.clock.reset();
    expect(clockSeen).toBeGreaterThan(0);
  });
});

describe("validateRequests", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/base/things`, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": "k1", ...headers }, body });

  it("passes a valid request through untouched", async () => {
    const ok = await post(JSON.stringify({ name: "a", size: 2, at: "2025-01-01T00:00:00Z" }));
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ name: "a", size: 2, at: "2025-01-01T00:00:00Z" });
    const got = await fetch(`${base}/base/things/th_9?limit=5`);
    expect(got.status).toBe(200);
  });

  it("answers an unknown route with the spec's 404 code", async () => {
    const response = await fetch(`${base}/base/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: "THING_NOT_FOUND" });
    expect((await fetch(`${base}/base/things`, { method: "DELETE" })).status).toBe(404);
  });

  it("answers a missing required Idempotency-Key with IDEMPOTENCY_KEY_MISSING", async () => {
    const response = await fetch(`${base}/base/things`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"a","size":1}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "IDEMPOTENCY_KEY_MISSING" });
  });

  it.each([
    ["bad JSON", "{not json", /not valid JSON/],
    ["an unknown field", JSON.stringify({ name: "a", size: 1, extra: true }), /extra is not a known field/],
    ["a wrong type", JSON.stringify({ name: "a", size: "big" }), /\/size must be integer/],
    ["a missing field", JSON.stringify({ name: "a" }), /\/size/],
    ["a bad format", JSON.stringify({ name: "a", size: 1, at: "yesterday" }), /\/at must match format/],
    ["an empty body", "", /requires a request body/],
  ])("answers %s with the declared 400 body, never 500", async (_label, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as { code: string; message: string; details: { errors: unknown[] } };
    expect(json.code).toBe("VALIDATION_ERROR");
    expect(json.message).toMatch(message);
    expect(json.details.errors.length).toBeGreaterThan(0);
  });

  it("checks the content type of a JSON body", async () => {
    const response = await post('{"name":"a","size":1}', { "content-type": "text/plain" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "VALIDATION_ERROR", message: expect.stringMatching(/Content-Type/) });
  });

  it("validates path and query parameters, coercing query strings", async () => {
    const badPath = await fetch(`${base}/base/things/nope`);
    expect(badPath.status).toBe(400);
    expect(await badPath.json()).toMatchObject({ details: { errors: [{ in: "path", path: "thingId" }] } });
    const badQuery = await fetch(`${base}/base/things/th_1?limit=abc`);
    expect(badQuery.status).toBe(400);
    expect((await fetch(`${base}/base/things/th_1?limit=11`)).status).toBe(400);
  });

  it("validates form-encoded bodies", async () => {
    const form = (body: string) =>
      fetch(`${base}/base/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    const ok = await form("grant_type=client_credentials&ttl=5");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ form: { grant_type: "client_credentials", ttl: "5" } });
    expect((await form("grant_type=password")).status).toBe(400);
    expect((await form("ttl=abc&grant_type=client_credentials")).status).toBe(400);
  });
});

describe("stop", () => {
  it("closes every server and open WebSocket; a second stop is a no-op", async () => {
    const own = await runSandbox({ atlas: createTestSandbox }, { apis: ["atlas"] });
    const ws = new WebSocket(`${own.urls.atlas.api.replace("http", "ws")}/events`);
    await new Promise((resolve) => ws.once("message", resolve));
    const closed = new Promise((resolve) => ws.once("close", resolve));
    await own.stop();
    await closed;
    await own.stop();
    await expect(fetch(`${own.urls.atlas.api}/plain`)).rejects.toThrow();
  });
});

describe("startSandbox (all five APIs)", () => {
  it("binds every origin of every API on its own loopback port, answers unknown routes with JSON 404, stops", async () => {
    const { startSandbox } = await import("../src/start-sandbox.js");
    const all = await startSandbox();
    try {
      const urls = Object.values(all.urls).flatMap((origins) => Object.values(origins as Record<string, string>));
      expect(new Set(urls).size).toBe(urls.length);
      expect(Object.keys(all.urls).sort()).toEqual(["arrotech", "atlas", "erip", "eudr", "ims"]);
      for (const origins of Object.values(all.urls) as Array<Record<string, string>>) {
        expect(Object.keys(origins)[0]).toBe("api");
        const response = await fetch(`${origins["api"]}/__no_such_route__`);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }
      all.faults("erip").inject({ route: "*", statuses: [503] });
      expect((await fetch(`${all.urls.erip.api}/anything`)).status).toBe(503);
    } finally {
      await all.stop();
    }
  });

  it("types each API's control (no casts), as SandboxControl<api> says", async () => {
    const { startSandbox } = await import("../src/start-sandbox.js");
    const some = await startSandbox({ apis: ["atlas", "erip"] });
    try {
      const atlas: SandboxControl<"atlas"> = some.apis.atlas.control;
      expectTypeOf(some.apis.atlas.control).toEqualTypeOf<AtlasControl>();
      expectTypeOf(some.apis.erip.control).toEqualTypeOf<EripControl>();
      expect(atlas.terminalId).toBe("TID-00012345");
      expect(atlas.dropEventConnections()).toBe(0);
      expect(some.apis.erip.control.getCredits(some.apis.erip.control.seeded.tenants.acme.id)).toBe(1000);
      // @ts-expect-error -- not started, so not in `apis`
      expect(some.apis.ims).toBeUndefined();
      // @ts-expect-error -- Atlas's control has no such member
      expect(some.apis.atlas.control.nope).toBeUndefined();
    } finally {
      await some.stop();
    }
  });
});

describe("error codes typed from the generated clients", () => {
  it("EUDR's and ERIP's problems take the codes their clients declare, and nothing else", () => {
    expectTypeOf<"TOKEN_REVOKED" | "INTEGRATION_INACTIVE" | "CONFLICT">().toExtend<EudrErrorCode>();
    expectTypeOf<"JWT_REQUIRED" | "INSUFFICIENT_CREDITS" | "USER_CREDENTIAL_REQUIRED">().toExtend<EripErrorCode>();
    expectTypeOf<string>().not.toExtend<EudrErrorCode>();
    expectTypeOf<"JWT_REQUIRED">().not.toExtend<EudrErrorCode>();
    // @ts-expect-error -- not a code of the EUDR spec
    expect(new EudrProblem(400, "BAD_REQUEST", "x").code).toBe("BAD_REQUEST");
    expect(new EripProblem(402, "INSUFFICIENT_CREDITS", "x").status).toBe(402);
  });
});
