/**
 * The EUDR sandbox over loopback HTTP with plain fetch: every fact of
 * seeds/nentropy-eudr-auth.txt, and every error it answers is one the spec declares.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEudrSandbox, EUDR_SCOPES, type EudrControl, type EudrScope } from "../src/apis/eudr/index.js";
import { runSandbox, type RunningSandbox } from "../src/framework/run-sandbox.js";
import { createSpecConformance } from "./support/spec-conformance.js";

const { doc, index, request, expectDeclaredError } = createSpecConformance("eudr", "/api/v1/integration");

let sandbox: RunningSandbox<"eudr">;
let control: EudrControl;
let base: string;

beforeAll(async () => {
  sandbox = await runSandbox({ eudr: createEudrSandbox }, { apis: ["eudr"] });
  control = sandbox.apis.eudr.control;
  base = control.baseUrl;
});
afterAll(() => sandbox?.stop());

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown> & { code?: string; data?: unknown[] };
}

async function call(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const auth: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  return (await request(base, method, path, { "Content-Type": "application/json", ...auth, ...headers }, body)) as Reply;
}

const token = () => control.seeded.tokens.acme.token;
const uuidLike = "00000000-0000-4000-8000-000000000000";

describe("EUDR token format and transport (seed: Token Format, Using Your Token)", () => {
  it("serves the seed's curl example: GET /suppliers with Bearer eudr_live_ + 48 hex", async () => {
    expect(token()).toMatch(/^eudr_live_[0-9a-f]{48}$/);
    expect(base).toMatch(/\/api\/v1\/integration$/);
    const reply = await call("GET", "/suppliers", token());
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/application\/json/);
    expect(reply.body.data).toEqual([expect.objectContaining({ externalId: "SUP-0042", country: "CI" })]);
    expect(reply.headers.get("x-request-id")).toMatch(/^req_/);
    expect(reply.headers.get("x-ratelimit-limit")).toBe("1000");
  });

  it("declares the token pattern in the spec", () => {
    const scheme = (doc.components?.["securitySchemes"] as Record<string, Record<string, unknown>>)["bearerAuth"];
    expect(scheme?.["x-portico-credential"]).toEqual({ pattern: "^eudr_live_[0-9a-f]{48}$" });
  });
});

describe("EUDR error table (seed: Error Responses)", () => {
  it("401 AUTHENTICATION_REQUIRED when no Authorization header is sent", async () => {
    expectDeclaredError(await call("GET", "/suppliers", null), "GET", "/suppliers", 401, "AUTHENTICATION_REQUIRED");
  });

  it.each([
    ["a non-bearer scheme", `Basic ${Buffer.from("a:b").toString("base64")}`],
    ["a wrong prefix", `Bearer eudr_test_${"a".repeat(48)}`],
    ["47 hex characters", `Bearer eudr_live_${"a".repeat(47)}`],
    ["49 hex characters", `Bearer eudr_live_${"a".repeat(49)}`],
    ["upper-case hex", `Bearer eudr_live_${"A".repeat(48)}`],
    ["a JWT", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"],
  ])("401 INVALID_TOKEN_FORMAT for %s", async (_label, authorization) => {
    const reply = await call("GET", "/suppliers", null, undefined, { Authorization: authorization });
    expectDeclaredError(reply, "GET", "/suppliers", 401, "INVALID_TOKEN_FORMAT");
  });

  it("401 INVALID_TOKEN for a well-formed token that was never issued", async () => {
    const reply = await call("GET", "/suppliers", `eudr_live_${"0".repeat(48)}`);
    expectDeclaredError(reply, "GET", "/suppliers", 401, "INVALID_TOKEN");
  });

  it("401 TOKEN_REVOKED for a revoked token, from the next request on", async () => {
    expectDeclaredError(await call("GET", "/suppliers", control.seeded.tokens.acmeRevoked.token), "GET", "/suppliers", 401, "TOKEN_REVOKED");
    const minted = control.mintToken({ integrationId: control.seeded.integrations.acme.id });
    expect((await call("GET", "/suppliers", minted.token)).status).toBe(200);
    control.revokeToken(minted.id);
    expectDeclaredError(await call("GET", "/suppliers", minted.token), "GET", "/suppliers", 401, "TOKEN_REVOKED");
  });

  it("401 TOKEN_EXPIRED once the token's expiration date passes", async () => {
    expectDeclaredError(await call("GET", "/suppliers", control.seeded.tokens.acmeExpired.token), "GET", "/suppliers", 401, "TOKEN_EXPIRED");
    const minted = control.mintToken({ integrationId: control.seeded.integrations.acme.id, expiresAt: sandbox.clock.now() + 60 * 60_000 });
    expect((await call("GET", "/suppliers", minted.token)).status).toBe(200);
    sandbox.clock.advance(60 * 60_000 + 1);
    try {
      expectDeclaredError(await call("GET", "/suppliers", minted.token), "GET", "/suppliers", 401, "TOKEN_EXPIRED");
      // A token without an expiration date keeps working.
      expect((await call("GET", "/suppliers", token())).status).toBe(200);
    } finally {
      sandbox.clock.reset();
    }
  });

  it("403 INTEGRATION_INACTIVE when the parent integration is not active, and back when reactivated", async () => {
    expectDeclaredError(await call("GET", "/suppliers", control.seeded.tokens.dormant.token), "GET", "/suppliers", 403, "INTEGRATION_INACTIVE");
    const integration = control.createIntegration({ name: "Toggle" });
    const minted = control.mintToken({ integrationId: integration.id });
    control.setIntegrationActive(integration.id, false);
    expectDeclaredError(await call("GET", "/sync/status", minted.token), "GET", "/sync/status", 403, "INTEGRATION_INACTIVE");
    control.setIntegrationActive(integration.id, true);
    expect((await call("GET", "/sync/status", minted.token)).status).toBe(200);
  });

  it("403 INSUFFICIENT_SCOPES names the missing scope", async () => {
    const reply = await call("POST", "/suppliers", control.seeded.tokens.acmeReadOnly.token, { name: "X", country: "GH" });
    expectDeclaredError(reply, "POST", "/suppliers", 403, "INSUFFICIENT_SCOPES");
    expect(reply.body["details"]).toEqual({ requiredScopes: ["integration:suppliers:write"] });
  });

  it("checks the token before the body: a bad token with a bad body is still 401", async () => {
    const reply = await call("POST", "/suppliers", `eudr_live_${"1".repeat(48)}`, "{not json");
    expectDeclaredError(reply, "POST", "/suppliers", 401, "INVALID_TOKEN");
  });
});

describe("EUDR scopes (seed: Token Scopes)", () => {
  const ids = () => control.seeded.records;
  // Every operation with the one scope it needs; each call is valid when the scope is granted.
  const operations: ReadonlyArray<{ scope: EudrScope; method: string; path: () => string; body?: () => unknown }> = [
    { scope: "integration:suppliers:read", method: "GET", path: () => "/suppliers" },
    { scope: "integration:suppliers:read", method: "GET", path: () => `/suppliers/${ids().supplierId}` },
    { scope: "integration:suppliers:read", method: "GET", path: () => `/suppliers/${ids().supplierId}/sync-status` },
    { scope: "integration:suppliers:write", method: "POST", path: () => "/suppliers", body: () => ({ name: "Scoped supplier", country: "GH" }) },
    { scope: "integration:suppliers:write", method: "PATCH", path: () => `/suppliers/${ids().supplierId}`, body: () => ({ taxId: "CI-1234567" }) },
    { scope: "integration:products:read", method: "GET", path: () => "/products" },
    { scope: "integration:products:read", method: "GET", path: () => `/products/${ids().productId}` },
    { scope: "integration:products:read", method: "GET", path: () => `/products/${ids().productId}/sync-status` },
    { scope: "integration:products:write", method: "POST", path: () => "/products", body: () => ({ name: "Scoped product", commodity: "coffee", hsCode: "0901" }) },
    { scope: "integration:products:write", method: "PATCH", path: () => `/products/${ids().productId}`, body: () => ({ description: "Raw beans" }) },
    { scope: "integration:batches:read", method: "GET", path: () => "/batches" },
    { scope: "integration:batches:read", method: "GET", path: () => `/batches/${ids().batchId}` },
    { scope: "integration:batches:read", method: "GET", path: () => `/batches/${ids().batchId}/sync-status` },
    {
      scope: "integration:batches:write",
      method: "POST",
      path: () => "/batches",
      body: () => ({ productId: ids().productId, supplierId: ids().supplierId, quantity: { amount: 10, unit: "t" }, countryOfProduction: "CI" }),
    },
    { scope: "integration:batches:write", method: "PATCH", path: () => `/batches/${ids().batchId}`, body: () => ({ status: "ready" }) },
    { scope: "integration:dds:read", method: "GET", path: () => `/batches/${ids().batchId}/dds-status` },
    { scope: "integration:webhooks:manage", method: "GET", path: () => "/webhooks" },
    { scope: "integration:webhooks:manage", method: "POST", path: () => "/webhooks", body: () => ({ url: "https://erp.example.com/hooks", events: ["batch.updated"] }) },
    { scope: "integration:sync:read", method: "GET", path: () => "/sync/status" },
    { scope: "integration:sync:read", method: "GET", path: () => "/sync/logs" },
  ];

  it("covers all nine scopes, and the spec declares exactly these on its operations", () => {
    expect(new Set(operations.map((o) => o.scope))).toEqual(new Set(EUDR_SCOPES));
    const declared = new Set(index.operations.flatMap((op) => op.security.flatMap((req) => Object.values(req).flat())));
    expect(declared).toEqual(new Set(EUDR_SCOPES));
    for (const op of index.operations) expect(op.security, op.key).toHaveLength(1);
  });

  it.each(operations.map((o, i) => [`#${i} ${o.method} (${o.scope})`, o] as const))("%s: granted scope passes, the others are 403", async (_l, op) => {
    const acmeId = control.seeded.integrations.acme.id;
    const only = control.mintToken({ integrationId: acmeId, scopes: [op.scope] });
    const allButOne = control.mintToken({ integrationId: acmeId, scopes: EUDR_SCOPES.filter((s) => s !== op.scope) });
    const allowed = await call(op.method, op.path(), only.token, op.body?.());
    expect(allowed.status, `${op.method} ${op.path()} with ${op.scope}: ${JSON.stringify(allowed.body)}`).toBeLessThan(300);
    const denied = await call(op.method, op.path(), allButOne.token, op.body?.());
    expectDeclaredError(denied, op.method, op.path(), 403, "INSUFFICIENT_SCOPES");
    expect(denied.body["details"]).toEqual({ requiredScopes: [op.scope] });
  });
});

describe("EUDR token storage (seed: Token Security)", () => {
  it("keeps SHA-256 hashes only, never the raw token", () => {
    const minted = control.mintToken({ integrationId: control.seeded.integrations.globex.id, name: "hash check" });
    const records = control.tokenRecords();
    const record = records.find((r) => r.id === minted.id);
    expect(record?.tokenHash).toBe(createHash("sha256").update(minted.token).digest("hex"));
    const stored = JSON.stringify(records);
    for (const t of Object.values(control.seeded.tokens)) expect(stored).not.toContain(t.token);
    expect(stored).not.toContain(minted.token);
  });

  it("start-up summary shows fingerprints, never the token in the label or fingerprint", () => {
    const summary = control.summary();
    expect(summary.credentials.map((c) => c.env)).toContain("EUDR_TOKEN");
    for (const c of summary.credentials) {
      expect(c.fingerprint).toMatch(/^eudr_live_…[0-9a-f]{8}$/);
      expect(`${c.label} ${c.fingerprint} ${summary.commands.join(" ")}`).not.toContain(c.secret);
    }
  });

  it("mints tokens with only the requested scopes, and refuses unknown scopes", () => {
    const minted = control.mintToken({ integrationId: control.seeded.integrations.globex.id, scopes: ["integration:dds:read"] });
    expect(minted.scopes).toEqual(["integration:dds:read"]);
    expect(() => control.mintToken({ integrationId: control.seeded.integrations.globex.id, scopes: ["integration:everything" as EudrScope] })).toThrow(TypeError);
  });
});

describe("EUDR data", () => {
  it("isolates integrations: another organisation's token sees none of Acme's records", async () => {
    const globex = control.seeded.tokens.globex.token;
    const { supplierId, batchId } = control.seeded.records;
    expectDeclaredError(await call("GET", `/suppliers/${supplierId}`, globex), "GET", `/suppliers/${supplierId}`, 404, "NOT_FOUND");
    expectDeclaredError(await call("GET", `/batches/${batchId}/dds-status`, globex), "GET", `/batches/${batchId}/dds-status`, 404, "NOT_FOUND");
    const fresh = control.createIntegration({ name: "Empty" });
    const t = control.mintToken({ integrationId: fresh.id }).token;
    expect((await call("GET", "/suppliers", t)).body.data).toEqual([]);
    expect((await call("GET", "/batches", t)).body.data).toEqual([]);
  });

  it("creates, reads, updates a supplier → product → batch chain with sync status", async () => {
    const t = control.mintToken({ integrationId: control.createIntegration({ name: "Chain" }).id }).token;
    const supplier = await call("POST", "/suppliers", t, { externalId: "S-1", name: "Finca La Esperanza", country: "CO", email: "ops@esperanza.example" });
    expect(supplier.status).toBe(201);
    expect(supplier.body).toMatchObject({ externalId: "S-1", status: "active", address: null, taxId: null });
    const sid = supplier.body["id"] as string;
    const product = await call("POST", "/products", t, { name: "Green coffee", commodity: "coffee", hsCode: "090111", supplierIds: [sid] });
    expect(product.status).toBe(201);
    const pid = product.body["id"] as string;
    const batch = await call("POST", "/batches", t, {
      externalId: "LOT-1",
      productId: pid,
      supplierId: sid,
      quantity: { amount: 18000, unit: "kg" },
      countryOfProduction: "CO",
      harvestStartDate: "2025-01-10",
      plots: [{ latitude: 4.57, longitude: -74.29 }],
    });
    expect(batch.status).toBe(201);
    const bid = batch.body["id"] as string;

    const patched = await call("PATCH", `/batches/${bid}`, t, { status: "shipped" });
    expect(patched.body).toMatchObject({ id: bid, status: "shipped", harvestStartDate: "2025-01-10" });
    expect((await call("GET", `/batches?productId=${pid}`, t)).body.data).toHaveLength(1);
    expect((await call("GET", `/batches?supplierId=${uuidLike}`, t)).body.data).toHaveLength(0);
    expect((await call("GET", `/suppliers/${sid}/sync-status`, t)).body).toMatchObject({ entityType: "supplier", entityId: sid, status: "synced" });
    expect((await call("GET", `/batches/${bid}/sync-status`, t)).body).toMatchObject({ status: "synced", attempts: 2 });

    const status = await call("GET", "/sync/status", t);
    expect(status.body).toMatchObject({ status: "idle", suppliers: { total: 1, synced: 1 }, batches: { total: 1, synced: 1 } });
    control.failSync(status.body["integrationId"] as string, "batch", bid, "TRACES rejected the geolocation");
    expect((await call("GET", "/sync/status", t)).body).toMatchObject({ status: "degraded", batches: { failed: 1 } });
    const errors = await call("GET", "/sync/logs?level=error", t);
    expect(errors.body.data).toEqual([expect.objectContaining({ action: "sync_failed", entityId: bid, message: "TRACES rejected the geolocation" })]);
    const logs = await call("GET", "/sync/logs?limit=2", t);
    expect(logs.body.data).toHaveLength(2);
    expect(logs.body["pagination"]).toMatchObject({ limit: 2, hasMore: true });
    const next = await call("GET", `/sync/logs?limit=2&cursor=${(logs.body["pagination"] as { nextCursor: string }).nextCursor}`, t);
    expect(next.status).toBe(200);
    expect(next.body.data).not.toEqual(logs.body.data);
  });

  it("reports DDS status for a batch (not started, then available with TRACES numbers)", async () => {
    const { batchId } = control.seeded.records;
    const before = await call("GET", `/batches/${batchId}/dds-status`, token());
    expect(before.body).toMatchObject({ batchId, status: "not_started", referenceNumber: null });
    control.setDdsStatus(control.seeded.integrations.acme.id, batchId, "available");
    const after = await call("GET", `/batches/${batchId}/dds-status`, token());
    expect(after.body).toMatchObject({ status: "available", referenceNumber: expect.stringMatching(/^25[A-Z0-9]{12}$/), verificationNumber: expect.any(String) });
  });

  it("409 CONFLICT on a duplicate externalId; Idempotency-Key replays a create and refuses a different body", async () => {
    const t = token();
    const dup = await call("POST", "/suppliers", t, { externalId: "SUP-0042", name: "Again", country: "CI" });
    expectDeclaredError(dup, "POST", "/suppliers", 409, "CONFLICT");

    const key = { "Idempotency-Key": `idem-${Date.now()}` };
    const first = await call("POST", "/suppliers", t, { name: "Idem Co", country: "GH" }, key);
    const again = await call("POST", "/suppliers", t, { country: "GH", name: "Idem Co" }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body["id"]).toBe(first.body["id"]);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await call("POST", "/suppliers", t, { name: "Other Co", country: "GH" }, key);
    expectDeclaredError(other, "POST", "/suppliers", 409, "CONFLICT");
    const list = await call("GET", "/suppliers?limit=100", t);
    expect(list.body.data?.filter((s) => (s as { name: string }).name === "Idem Co")).toHaveLength(1);
  });

  it("manages webhooks; the signing secret is shown once", async () => {
    const t = control.mintToken({ integrationId: control.createIntegration({ name: "Hooks" }).id, scopes: ["integration:webhooks:manage"] }).token;
    const created = await call("POST", "/webhooks", t, { url: "https://erp.example.com/hooks/eudr", events: ["dds.status_changed"] });
    expect(created.status).toBe(201);
    expect(created.body["signingSecret"]).toMatch(/^whsec_[0-9a-f]{32}$/);
    const id = created.body["id"] as string;
    const listed = await call("GET", "/webhooks", t);
    expect(listed.body.data).toEqual([expect.not.objectContaining({ signingSecret: expect.anything() })]);
    expect((await call("PATCH", `/webhooks/${id}`, t, { active: false })).body).toMatchObject({ id, active: false });
    expect((await call("DELETE", `/webhooks/${id}`, t)).status).toBe(204);
    expectDeclaredError(await call("DELETE", `/webhooks/${id}`, t), "DELETE", `/webhooks/${id}`, 404, "NOT_FOUND");
  });
});

describe("EUDR bad requests get the spec's errors, never a 500", () => {
  it.each([
    ["bad JSON", "POST", "/suppliers", "{nope"],
    ["an unknown field", "POST", "/suppliers", { name: "X", country: "GH", colour: "red" }],
    ["a missing required field", "POST", "/suppliers", { name: "X" }],
    ["a bad country code", "POST", "/suppliers", { name: "X", country: "Ghana" }],
    ["an empty update", "PATCH", `/suppliers/${uuidLike}`, {}],
    ["a batch for an unknown product", "POST", "/batches", { productId: uuidLike, supplierId: uuidLike, quantity: { amount: 1, unit: "kg" }, countryOfProduction: "CI" }],
    ["a non-UUID id", "GET", "/suppliers/not-a-uuid", undefined],
    ["a limit over 100", "GET", "/suppliers?limit=101", undefined],
    ["a foreign cursor", "GET", "/suppliers?cursor=bogus", undefined],
  ])("400 VALIDATION_ERROR for %s", async (_label, method, path, body) => {
    const reply = await call(method, path, token(), body);
    expectDeclaredError(reply, method, path, 400, "VALIDATION_ERROR");
  });

  it("400 VALIDATION_ERROR for a body that is not JSON", async () => {
    const reply = await call("POST", "/suppliers", token(), "name=X", { "Content-Type": "text/plain" });
    expectDeclaredError(reply, "POST", "/suppliers", 400, "VALIDATION_ERROR");
  });

  it("404 NOT_FOUND for an unknown route or method", async () => {
    for (const [method, path] of [["GET", "/nope"], ["DELETE", "/suppliers"], ["GET", "/../../etc/passwd"]] as const) {
      const reply = await call(method, path, token());
      expect(reply.status).toBe(404);
      expect(reply.body.code).toBe("NOT_FOUND");
    }
  });
});

describe("EUDR rate limit", () => {
  it("429 RATE_LIMITED with Retry-After past the per-token limit", async () => {
    const small = await runSandbox({ eudr: createEudrSandbox }, { apis: ["eudr"], options: { eudr: { rateLimitPerMinute: 2, seedData: false } } });
    try {
      const c = small.apis.eudr.control;
      const t = c.seeded.tokens.acme.token;
      const get = () => fetch(`${c.baseUrl}/sync/status`, { headers: { Authorization: `Bearer ${t}` } });
      expect((await get()).headers.get("x-ratelimit-remaining")).toBe("1");
      expect((await get()).status).toBe(200);
      const limited = await get();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = (await limited.json()) as { code: string };
      expect(body.code).toBe("RATE_LIMITED");
      // Another token has its own window.
      const other = await fetch(`${c.baseUrl}/sync/status`, { headers: { Authorization: `Bearer ${c.seeded.tokens.globex.token}` } });
      expect(other.status).toBe(200);
      small.clock.advance(61_000);
      expect((await get()).status).toBe(200);
    } finally {
      await small.stop();
    }
  });
});
