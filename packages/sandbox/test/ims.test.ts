/**
 * The IMS sandbox over loopback HTTP with plain fetch: the Auth0-style issuer (client credentials,
 * authorization code + PKCE, refresh rotation, JWKS), tenant isolation, per-endpoint permissions,
 * the seed's error codes, idempotency, and AUTH_MODE=dev.
 */
import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImsSandbox } from "../src/apis/ims/index.js";
import { runSandbox } from "../src/framework/run-sandbox.js";
import type { SandboxApiOptions } from "../src/types.js";
import { call, type Json } from "./support/call.js";

const NS = "https://atrope.dev/claims/";

async function start(options: SandboxApiOptions = {}) {
  const sandbox = await runSandbox({ ims: createImsSandbox }, { apis: ["ims"], options: { ims: options } });
  const control = sandbox.apis.ims.control;
  return { sandbox, control, api: sandbox.urls.ims.api, auth: sandbox.urls.ims.auth };
}

type Started = Awaited<ReturnType<typeof start>>;
const tokenRequest = (s: Started, params: Record<string, string>, form = false) =>
  form
    ? call(s.auth, "/oauth/token", { method: "POST", raw: new URLSearchParams(params).toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" } })
    : call(s.auth, "/oauth/token", { method: "POST", body: params });

async function m2mToken(s: Started, client: { clientId: string; clientSecret?: string }, extra: Record<string, string> = {}): Promise<string> {
  const res = await tokenRequest(s, { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret ?? "", audience: s.control.audience, ...extra });
  expect(res.status).toBe(200);
  return res.body["access_token"] as string;
}

const pkce = () => {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
};

async function authorize(s: Started, params: Record<string, string>) {
  const res = await fetch(`${s.auth}/authorize?${new URLSearchParams(params)}`, { redirect: "manual" });
  const location = res.headers.get("location");
  return { status: res.status, location: location ? new URL(location) : undefined };
}

describe("IMS sandbox", () => {
  let s: Started;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(async () => {
    await s.sandbox.stop();
  });

  describe("Auth0-style issuer", () => {
    it("issues an RS256 client-credentials token (JSON body) that verifies against the JWKS with namespaced claims", async () => {
      const res = await tokenRequest(s, { grant_type: "client_credentials", client_id: s.control.clients.acmeM2m.clientId, client_secret: s.control.clients.acmeM2m.clientSecret, audience: "https://api.atrope.dev" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 86_400 });
      expect(res.headers.get("cache-control")).toBe("no-store");
      const jwks = createRemoteJWKSet(new URL(`${s.auth}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(res.body["access_token"], jwks, { issuer: `${s.auth}/`, audience: "https://api.atrope.dev" });
      expect(protectedHeader.alg).toBe("RS256");
      expect(payload[`${NS}tenant_id`]).toBe(s.control.tenants.acme.id);
      expect(payload[`${NS}permissions`]).toEqual(["inventory:read", "inventory:write", "catalog:read", "catalog:write", "procurement:read", "procurement:write", "sales:read", "sales:write"]);
      expect(payload.sub).toBe(`${s.control.clients.acmeM2m.clientId}@clients`);
      expect(payload.exp! - payload.iat!).toBe(86_400);
    });

    it("accepts form-encoded token requests and HTTP Basic client authentication", async () => {
      const c = s.control.clients.globexReadOnly;
      const form = await tokenRequest(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, audience: s.control.audience }, true);
      expect(form.status).toBe(200);
      expect(decodeJwt(form.body["access_token"])[`${NS}permissions`]).toEqual(["inventory:read", "catalog:read", "procurement:read", "sales:read"]);
      const basic = await call(s.auth, "/oauth/token", {
        method: "POST",
        raw: new URLSearchParams({ grant_type: "client_credentials", audience: s.control.audience }).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64")}` },
      });
      expect(basic.status).toBe(200);
    });

    it("refuses a wrong secret, a missing or unknown audience, ungranted scopes and unknown grants", async () => {
      const c = s.control.clients.acmeReadOnly;
      const wrong = await tokenRequest(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: "nope", audience: s.control.audience });
      expect(wrong.status).toBe(401);
      expect(wrong.body["error"]).toBe("invalid_client");
      expect(JSON.stringify(wrong.body)).not.toContain(c.clientSecret);
      const noAudience = await tokenRequest(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret });
      expect([noAudience.status, noAudience.body["error"]]).toEqual([403, "access_denied"]);
      const otherAudience = await tokenRequest(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, audience: "https://other.example" });
      expect(otherAudience.status).toBe(403);
      const scope = await tokenRequest(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, audience: s.control.audience, scope: "inventory:write" });
      expect([scope.status, scope.body["error"]]).toEqual([403, "access_denied"]);
      const grant = await tokenRequest(s, { grant_type: "password", client_id: c.clientId, client_secret: c.clientSecret });
      expect([grant.status, grant.body["error"]]).toEqual([400, "unsupported_grant_type"]);
      const spaCc = await tokenRequest(s, { grant_type: "client_credentials", client_id: s.control.clients.spa.clientId, audience: s.control.audience });
      expect([spaCc.status, spaCc.body["error"]]).toEqual([403, "unauthorized_client"]);
    });

    it("narrows permissions to a requested scope", async () => {
      const token = await m2mToken(s, s.control.clients.acmeM2m, { scope: "catalog:read" });
      expect(decodeJwt(token)[`${NS}permissions`]).toEqual(["catalog:read"]);
      expect((await call(s.api, "/v1/items", { token })).status).toBe(200);
      expect((await call(s.api, "/v1/inventory/balances", { token })).body["code"]).toBe("INSUFFICIENT_PERMISSIONS");
    });

    it("publishes an OpenID configuration that points at its endpoints", async () => {
      const res = await call(s.auth, "/.well-known/openid-configuration");
      expect(res.body).toMatchObject({ issuer: `${s.auth}/`, token_endpoint: `${s.auth}/oauth/token`, authorization_endpoint: `${s.auth}/authorize`, jwks_uri: `${s.auth}/.well-known/jwks.json`, code_challenge_methods_supported: ["S256"] });
    });

    it("counts token requests per tenant", async () => {
      s.control.resetTokenRequests();
      await m2mToken(s, s.control.clients.acmeM2m);
      await m2mToken(s, s.control.clients.acmeReadOnly);
      await m2mToken(s, s.control.clients.globexM2m);
      await tokenRequest(s, { grant_type: "client_credentials", client_id: s.control.clients.globexM2m.clientId, client_secret: "bad", audience: s.control.audience });
      expect(s.control.tokenRequests.byTenant).toEqual({ [s.control.tenants.acme.id]: 2, [s.control.tenants.globex.id]: 1 });
      expect(s.control.tokenRequests.total).toBe(4);
      expect(s.control.tokenRequests.byGrant.client_credentials).toBe(3);
    });

    it("gives the misconfigured client tokens that carry the other tenant's claim", async () => {
      const c = s.control.clients.acmeMismatched;
      expect(c.tenantId).toBe(s.control.tenants.acme.id);
      const token = await m2mToken(s, c);
      expect(decodeJwt(token)[`${NS}tenant_id`]).toBe(s.control.tenants.globex.id);
      expect((await call(s.api, "/v1/me", { token })).body["tenantId"]).toBe(s.control.tenants.globex.id);
    });
  });

  describe("authorization code + PKCE", () => {
    const callback = "http://127.0.0.1:5173/callback"; // loopback: any port matches the registered URI

    async function code(params: Record<string, string> = {}) {
      const { verifier, challenge } = pkce();
      const state = randomBytes(12).toString("base64url");
      const res = await authorize(s, {
        response_type: "code", client_id: s.control.clients.spa.clientId, redirect_uri: callback, scope: "openid offline_access inventory:read catalog:read",
        audience: s.control.audience, state, code_challenge: challenge, code_challenge_method: "S256", login_hint: s.control.users.acmeViewer.email, ...params,
      });
      return { ...res, verifier, state };
    }

    const exchange = (c: string, verifier: string | undefined, redirectUri = callback) =>
      tokenRequest(s, { grant_type: "authorization_code", client_id: s.control.clients.spa.clientId, code: c, redirect_uri: redirectUri, ...(verifier ? { code_verifier: verifier } : {}) }, true);

    it("redirects with code and the same state, and exchanges the code with the right verifier", async () => {
      const { status, location, verifier, state } = await code();
      expect(status).toBe(302);
      expect(`${location!.origin}${location!.pathname}`).toBe(callback);
      expect(location!.searchParams.get("state")).toBe(state);
      const res = await exchange(location!.searchParams.get("code")!, verifier);
      expect(res.status).toBe(200);
      expect(res.body["refresh_token"]).toEqual(expect.any(String));
      expect(decodeJwt(res.body["id_token"]).email).toBe(s.control.users.acmeViewer.email);
      const claims = decodeJwt(res.body["access_token"]);
      expect(claims.sub).toBe(s.control.users.acmeViewer.sub);
      expect(claims[`${NS}tenant_id`]).toBe(s.control.tenants.acme.id);
      expect(claims[`${NS}permissions`]).toEqual(["inventory:read", "catalog:read"]);
      expect((await call(s.api, "/v1/items", { token: res.body["access_token"] })).status).toBe(200);
    });

    it("rejects a wrong verifier, a missing verifier, a reused code and a different redirect_uri", async () => {
      const a = await code();
      expect((await exchange(a.location!.searchParams.get("code")!, pkce().verifier)).body).toMatchObject({ error: "invalid_grant", error_description: "Failed to verify code verifier" });
      const b = await code();
      expect((await exchange(b.location!.searchParams.get("code")!, undefined)).body["error"]).toBe("invalid_grant");
      const c = await code();
      const good = c.location!.searchParams.get("code")!;
      expect((await exchange(good, c.verifier)).status).toBe(200);
      expect((await exchange(good, c.verifier)).body).toMatchObject({ error: "invalid_grant", error_description: "Invalid authorization code" });
      const d = await code();
      expect((await exchange(d.location!.searchParams.get("code")!, d.verifier, "http://127.0.0.1:5173/other")).body["error"]).toBe("invalid_grant");
    });

    it("rotates refresh tokens and revokes the family when a rotated one is replayed", async () => {
      const { location, verifier } = await code();
      const first = (await exchange(location!.searchParams.get("code")!, verifier)).body;
      s.control.resetTokenRequests();
      const refresh = (rt: string) => tokenRequest(s, { grant_type: "refresh_token", client_id: s.control.clients.spa.clientId, refresh_token: rt }, true);
      const second = await refresh(first["refresh_token"]);
      expect(second.status).toBe(200);
      expect(second.body["refresh_token"]).not.toBe(first["refresh_token"]);
      expect(s.control.tokenRequests.byGrant.refresh_token).toBe(1);
      expect((await refresh(first["refresh_token"])).body["error"]).toBe("invalid_grant");
      expect((await refresh(second.body["refresh_token"])).body["error"]).toBe("invalid_grant"); // family revoked
    });

    it("answers error=access_denied with the state when the user declines", async () => {
      s.control.denyNextAuthorization();
      const denied = await code();
      expect(denied.location!.searchParams.get("error")).toBe("access_denied");
      expect(denied.location!.searchParams.get("state")).toBe(denied.state);
      expect(denied.location!.searchParams.get("code")).toBeNull();
      const switched = await code({ sandbox_decision: "deny" });
      expect(switched.location!.searchParams.get("error")).toBe("access_denied");
      expect((await code()).location!.searchParams.get("code")).toEqual(expect.any(String));
    });

    it("never redirects to an unregistered redirect_uri and requires PKCE S256 from public clients", async () => {
      const foreign = await authorize(s, { response_type: "code", client_id: s.control.clients.spa.clientId, redirect_uri: "https://evil.example/cb", state: "x", code_challenge: pkce().challenge, code_challenge_method: "S256" });
      expect([foreign.status, foreign.location]).toEqual([400, undefined]);
      const noPkce = await authorize(s, { response_type: "code", client_id: s.control.clients.spa.clientId, redirect_uri: callback, state: "x" });
      expect(noPkce.location!.searchParams.get("error")).toBe("invalid_request");
      const plain = await authorize(s, { response_type: "code", client_id: s.control.clients.spa.clientId, redirect_uri: callback, state: "x", code_challenge: pkce().challenge, code_challenge_method: "plain" });
      expect(plain.location!.searchParams.get("error")).toBe("invalid_request");
    });
  });

  describe("API", () => {
    let acme: string;
    let globex: string;
    let acmeRead: string;
    beforeAll(async () => {
      [acme, globex, acmeRead] = await Promise.all([m2mToken(s, s.control.clients.acmeM2m), m2mToken(s, s.control.clients.globexM2m), m2mToken(s, s.control.clients.acmeReadOnly)]);
    });

    it("serves the seed's GET /v1/items filtered by the token's tenant", async () => {
      const a = await call(s.api, "/v1/items", { token: acme });
      const g = await call(s.api, "/v1/items", { token: globex });
      expect(a.status).toBe(200);
      expect(a.headers.get("x-request-id")).toMatch(/^req_/);
      const aSkus = a.body["data"].map((i: Json) => i["sku"]);
      const gSkus = g.body["data"].map((i: Json) => i["sku"]);
      expect(aSkus).toContain("ACME-WIDGET-BLUE");
      expect(gSkus).toContain("GLX-BOLT-M8");
      expect(aSkus.filter((sku: string) => gSkus.includes(sku))).toEqual([]);
      const acmeItem = a.body["data"][0]["id"];
      expect((await call(s.api, `/v1/items/${acmeItem}`, { token: globex })).body["code"]).toBe("NOT_FOUND");
      expect((await call(s.api, `/v1/items/${acmeItem}`, { token: acme })).body["id"]).toBe(acmeItem);
    });

    it("answers 401 UNAUTHORIZED, TOKEN_EXPIRED and INVALID_TOKEN", async () => {
      const none = await call(s.api, "/v1/items");
      expect([none.status, none.body["code"]]).toEqual([401, "UNAUTHORIZED"]);
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const expired = await s.control.issueToken({ tenantId: s.control.tenants.acme.id, expiresIn: 60 });
      s.sandbox.clock.advance(61_000);
      try {
        expect((await call(s.api, "/v1/items", { token: expired })).body["code"]).toBe("TOKEN_EXPIRED");
      } finally {
        s.sandbox.clock.advance(-61_000);
      }
      const { privateKey } = await generateKeyPair("RS256");
      const forged = await new SignJWT({ [`${NS}tenant_id`]: s.control.tenants.acme.id, [`${NS}permissions`]: ["catalog:read"] })
        .setProtectedHeader({ alg: "RS256", kid: decodeJwtHeader(acme) }).setIssuer(s.control.issuer).setAudience(s.control.audience).setSubject("x").setIssuedAt().setExpirationTime("1h").sign(privateKey);
      expect((await call(s.api, "/v1/items", { token: forged })).body["code"]).toBe("INVALID_TOKEN");
      const wrongAudience = await s.control.issueToken({ tenantId: s.control.tenants.acme.id, claims: { aud: "https://other.example" } });
      expect((await call(s.api, "/v1/items", { token: wrongAudience })).body["code"]).toBe("INVALID_TOKEN");
      const noTenant = await s.control.issueToken({ tenantId: s.control.tenants.acme.id, claims: { [`${NS}tenant_id`]: undefined } });
      expect((await call(s.api, "/v1/items", { token: noTenant })).body["code"]).toBe("INVALID_TOKEN");
      const hs = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuer(s.control.issuer).setAudience(s.control.audience).setExpirationTime("1h").sign(new Uint8Array(32));
      expect((await call(s.api, "/v1/items", { token: hs })).body["code"]).toBe("INVALID_TOKEN");
    });

    it("keeps verifying old tokens after a signing-key rotation", async () => {
      const before = await m2mToken(s, s.control.clients.acmeReadOnly);
      await s.control.rotateSigningKey();
      const after = await m2mToken(s, s.control.clients.acmeReadOnly);
      expect(decodeJwtHeader(after)).not.toBe(decodeJwtHeader(before));
      expect((await call(s.api, "/v1/me", { token: before })).status).toBe(200);
      expect((await call(s.api, "/v1/me", { token: after })).status).toBe(200);
    });

    it("enforces permissions per endpoint with 403 INSUFFICIENT_PERMISSIONS", async () => {
      const balances = await call(s.api, "/v1/inventory/balances", { token: acmeRead });
      expect(balances.status).toBe(200);
      const facility = (await call(s.api, "/v1/facilities", { token: acmeRead })).body["data"][0]["id"];
      const item = (await call(s.api, "/v1/items?sku=ACME-WIDGET-BLUE", { token: acmeRead })).body["data"][0]["id"];
      const cases: [string, string, unknown][] = [
        ["POST", "/v1/inventory/adjustments", { facilityId: facility, reasonCode: "damage", lines: [{ itemId: item, quantityDelta: -1 }] }],
        ["POST", "/v1/items", { sku: "X", name: "X", baseUomCode: "EA" }],
        ["POST", "/v1/inventory/transfers", {}],
        ["POST", "/v1/purchase-orders", {}],
        ["POST", "/v1/sales-orders", {}],
      ];
      for (const [method, path, body] of cases) {
        const res = await call(s.api, path, { token: acmeRead, method, body });
        expect([res.status, res.body["code"]], `${method} ${path}`).toEqual([403, "INSUFFICIENT_PERMISSIONS"]);
      }
      const scoped = await s.control.issueToken({ tenantId: s.control.tenants.acme.id, permissions: ["sales:read"] });
      expect((await call(s.api, "/v1/items", { token: scoped })).body["details"]).toEqual({ required: ["catalog:read"] });
      expect((await call(s.api, "/v1/sales-orders", { token: scoped })).status).toBe(200);
    });

    it("answers bad JSON, unknown fields and unknown routes with the declared errors", async () => {
      const badJson = await call(s.api, "/v1/items", { token: acme, method: "POST", raw: "{nope" });
      expect([badJson.status, badJson.body["code"]]).toEqual([400, "VALIDATION_ERROR"]);
      const unknown = await call(s.api, "/v1/items", { token: acme, method: "POST", body: { sku: "A", name: "A", baseUomCode: "EA", colour: "red" } });
      expect([unknown.status, unknown.body["code"]]).toEqual([400, "VALIDATION_ERROR"]);
      const limit = await call(s.api, "/v1/items?limit=0", { token: acme });
      expect([limit.status, limit.body["code"]]).toEqual([400, "VALIDATION_ERROR"]);
      const route = await call(s.api, "/v1/warehouses", { token: acme });
      expect([route.status, route.body["code"]]).toEqual([404, "NOT_FOUND"]);
    });

    it("pages with cursor and limit", async () => {
      const first = await call(s.api, "/v1/items?limit=2", { token: acme });
      expect(first.body["data"]).toHaveLength(2);
      expect(first.body["hasMore"]).toBe(true);
      const second = await call(s.api, `/v1/items?limit=2&cursor=${first.body["nextCursor"]}`, { token: acme });
      expect(second.body["data"][0]["id"]).not.toBe(first.body["data"][0]["id"]);
      expect((await call(s.api, "/v1/items?cursor=garbage", { token: acme })).body["code"]).toBe("VALIDATION_ERROR");
    });

    it("creates and updates items, refusing a duplicate SKU with 409", async () => {
      const created = await call(s.api, "/v1/items", { token: acme, method: "POST", body: { sku: "ACME-GEAR-7", name: "Gear 7", baseUomCode: "EA" } });
      expect(created.status).toBe(201);
      expect(created.headers.get("location")).toBe(`/v1/items/${created.body["id"]}`);
      const dup = await call(s.api, "/v1/items", { token: acme, method: "POST", body: { sku: "acme-gear-7", name: "Again", baseUomCode: "EA" } });
      expect([dup.status, dup.body["code"]]).toEqual([409, "SKU_ALREADY_EXISTS"]);
      expect((await call(s.api, "/v1/items", { token: globex, method: "POST", body: { sku: "ACME-GEAR-7", name: "Other tenant", baseUomCode: "EA" } })).status).toBe(201);
      const patched = await call(s.api, `/v1/items/${created.body["id"]}`, { token: acme, method: "PATCH", body: { status: "inactive" } });
      expect(patched.body["status"]).toBe("inactive");
    });

    it("posts adjustments idempotently and refuses negative stock", async () => {
      const facility = (await call(s.api, "/v1/facilities?type=warehouse", { token: acme })).body["data"][0]["id"];
      const item = (await call(s.api, "/v1/items?sku=ACME-WIDGET-BLUE", { token: acme })).body["data"][0]["id"];
      const body = { facilityId: facility, reasonCode: "damage", lines: [{ itemId: item, quantityDelta: -5 }] };
      const key = randomBytes(8).toString("hex");
      const first = await call(s.api, "/v1/inventory/adjustments", { token: acme, method: "POST", body, headers: { "Idempotency-Key": key } });
      expect(first.status).toBe(201);
      expect(first.body["lines"][0]["balanceAfter"]).toBe(115);
      const replay = await call(s.api, "/v1/inventory/adjustments", { token: acme, method: "POST", body, headers: { "Idempotency-Key": key } });
      expect(replay.body["id"]).toBe(first.body["id"]);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      const balance = await call(s.api, `/v1/inventory/balances?itemId=${item}&facilityId=${facility}`, { token: acme });
      expect(balance.body["data"][0]["onHand"]).toBe(115);
      const reused = await call(s.api, "/v1/inventory/adjustments", { token: acme, method: "POST", body: { ...body, reasonCode: "shrinkage" }, headers: { "Idempotency-Key": key } });
      expect([reused.status, reused.body["code"]]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
      const tooMuch = await call(s.api, "/v1/inventory/adjustments", { token: acme, method: "POST", body: { ...body, lines: [{ itemId: item, quantityDelta: -1000 }] } });
      expect([tooMuch.status, tooMuch.body["code"]]).toEqual([409, "INSUFFICIENT_STOCK"]);
      const ledger = await call(s.api, `/v1/inventory/ledger?itemId=${item}&limit=1`, { token: acme });
      expect(ledger.body["data"][0]).toMatchObject({ quantityDelta: -5, reason: "adjustment", sourceId: first.body["id"] });
    });

    it("transfers stock between facilities and lists the transfer", async () => {
      const facilities = (await call(s.api, "/v1/facilities", { token: acme })).body["data"];
      const item = (await call(s.api, "/v1/items?sku=ACME-WIDGET-BLUE", { token: acme })).body["data"][0]["id"];
      const res = await call(s.api, "/v1/inventory/transfers", { token: acme, method: "POST", body: { fromFacilityId: facilities[0]["id"], toFacilityId: facilities[1]["id"], lines: [{ itemId: item, quantity: 10 }] }, headers: { "Idempotency-Key": randomBytes(8).toString("hex") } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: "completed", number: expect.stringMatching(/^TR-\d{6}$/) });
      const to = await call(s.api, `/v1/inventory/balances?itemId=${item}&facilityId=${facilities[1]["id"]}`, { token: acme });
      expect(to.body["data"][0]["onHand"]).toBe(40);
      expect((await call(s.api, "/v1/inventory/transfers", { token: acmeRead })).body["data"][0]["id"]).toBe(res.body["id"]);
      expect((await call(s.api, "/v1/inventory/transfers", { token: globex })).body["data"]).toEqual([]);
    });

    it("records receipts against purchase orders (lots and serials) and advances the order", async () => {
      const facility = (await call(s.api, "/v1/facilities?type=warehouse", { token: acme })).body["data"][0]["id"];
      const items = (await call(s.api, "/v1/items?search=acme-", { token: acme })).body["data"] as Json[];
      const resin = items.find((i) => i["sku"] === "ACME-RESIN-A")!;
      const scanner = items.find((i) => i["sku"] === "ACME-SCANNER-X1")!;
      const po = await call(s.api, "/v1/purchase-orders", { token: acme, method: "POST", body: { supplier: { name: "Resin Co" }, facilityId: facility, currency: "USD", lines: [{ itemId: resin["id"], quantity: 50, unitCost: "9.90" }, { itemId: scanner["id"], quantity: 2, unitCost: "199.00" }] } });
      expect(po.status).toBe(201);
      const [resinLine, scannerLine] = po.body["lines"];
      const over = await call(s.api, "/v1/receipts", { token: acme, method: "POST", body: { purchaseOrderId: po.body["id"], lines: [{ purchaseOrderLineId: resinLine["lineId"], quantity: 51, lotNumber: "L-NEW" }] } });
      expect([over.status, over.body["code"]]).toEqual([409, "QUANTITY_EXCEEDS_OPEN"]);
      const part = await call(s.api, "/v1/receipts", { token: acme, method: "POST", body: { purchaseOrderId: po.body["id"], lines: [{ purchaseOrderLineId: resinLine["lineId"], quantity: 50, lotNumber: "L-NEW", expiresAt: "2027-06-30" }] } });
      expect(part.status).toBe(201);
      expect((await call(s.api, `/v1/purchase-orders/${po.body["id"]}`, { token: acmeRead })).body["status"]).toBe("partially_received");
      const lot = (await call(s.api, `/v1/inventory/lots?itemId=${resin["id"]}`, { token: acme })).body["data"].find((l: Json) => l["lotNumber"] === "L-NEW");
      expect(lot).toMatchObject({ expiresAt: "2027-06-30" });
      expect((await call(s.api, `/v1/inventory/balances?lotId=${lot["id"]}`, { token: acme })).body["data"][0]["onHand"]).toBe(50);
      const serials = await call(s.api, "/v1/receipts", { token: acme, method: "POST", body: { purchaseOrderId: po.body["id"], lines: [{ purchaseOrderLineId: scannerLine["lineId"], quantity: 2, serialNumbers: ["SN-X1-0100", "SN-X1-0101"] }] } });
      expect(serials.status).toBe(201);
      expect((await call(s.api, `/v1/purchase-orders/${po.body["id"]}`, { token: acme })).body["status"]).toBe("received");
      const listed = (await call(s.api, `/v1/inventory/serials?itemId=${scanner["id"]}`, { token: acme })).body["data"].map((x: Json) => x["serialNumber"]);
      expect(listed).toEqual(expect.arrayContaining(["SN-X1-0100", "SN-X1-0101"]));
      const again = await call(s.api, "/v1/receipts", { token: acme, method: "POST", body: { purchaseOrderId: po.body["id"], lines: [{ purchaseOrderLineId: resinLine["lineId"], quantity: 1, lotNumber: "L-NEW" }] } });
      expect(again.body["code"]).toBe("INVALID_STATE_TRANSITION");
      expect((await call(s.api, `/v1/receipts?purchaseOrderId=${po.body["id"]}`, { token: acme })).body["data"]).toHaveLength(2);
    });

    it("creates, updates and cancels sales orders; a shipped order cannot be cancelled", async () => {
      const facility = (await call(s.api, "/v1/facilities", { token: globex })).body["data"][0]["id"];
      const item = (await call(s.api, "/v1/items?sku=GLX-BOLT-M8", { token: globex })).body["data"][0]["id"];
      const so = await call(s.api, "/v1/sales-orders", { token: globex, method: "POST", body: { customer: { name: "Kwik-E-Mart" }, facilityId: facility, currency: "EUR", lines: [{ itemId: item, quantity: 100, unitPrice: "0.12" }] } });
      expect([so.status, so.body["status"]]).toEqual([201, "draft"]);
      const confirmed = await call(s.api, `/v1/sales-orders/${so.body["id"]}`, { token: globex, method: "PATCH", body: { status: "confirmed", requestedShipDate: "2030-01-15" } });
      expect(confirmed.body).toMatchObject({ status: "confirmed", requestedShipDate: "2030-01-15" });
      const cancelled = await call(s.api, `/v1/sales-orders/${so.body["id"]}/cancel`, { token: globex, method: "POST", body: { reason: "Customer request" } });
      expect(cancelled.body).toMatchObject({ status: "cancelled", cancellationReason: "Customer request" });
      expect((await call(s.api, `/v1/sales-orders/${so.body["id"]}/cancel`, { token: globex, method: "POST" })).status).toBe(200);
      expect((await call(s.api, `/v1/sales-orders/${so.body["id"]}`, { token: globex, method: "PATCH", body: { status: "confirmed" } })).body["code"]).toBe("INVALID_STATE_TRANSITION");
      const shipped = (await call(s.api, "/v1/sales-orders?status=shipped", { token: globex })).body["data"][0];
      expect((await call(s.api, `/v1/sales-orders/${shipped["id"]}/cancel`, { token: globex, method: "POST" })).body["code"]).toBe("INVALID_STATE_TRANSITION");
      expect((await call(s.api, `/v1/sales-orders/${so.body["id"]}`, { token: acme })).status).toBe(404);
    });
  });
});

function decodeJwtHeader(token: string): string | undefined {
  const header = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as { kid?: string };
  return header.kid;
}

describe("IMS sandbox in AUTH_MODE=dev", () => {
  it("accepts any request and attributes it to the configured dev tenant and user", async () => {
    const devTenantId = "5e0d7c3b-1a2f-4b6c-8d9e-0f1a2b3c4d5e";
    const s = await start({ devMode: true, devTenantId, devUserId: "dev|alice" });
    try {
      const me = await call(s.api, "/v1/me");
      expect(me.body).toMatchObject({ tenantId: devTenantId, subject: "dev|alice", authMode: "dev" });
      expect((await call(s.api, "/v1/me", { token: "not-a-jwt" })).status).toBe(200);
      expect((await call(s.api, "/v1/uoms")).body["data"].map((u: Json) => u["code"])).toContain("EA");
    } finally {
      await s.sandbox.stop();
    }
  });

  it("defaults the dev tenant to a seeded tenant", async () => {
    const s = await start({ devMode: true });
    try {
      expect((await call(s.api, "/v1/me")).body["tenantId"]).toBe(s.control.tenants.acme.id);
      expect((await call(s.api, "/v1/items")).body["data"].length).toBeGreaterThan(0);
    } finally {
      await s.sandbox.stop();
    }
  });

  it("refuses to start when the issuer or audience is also configured", async () => {
    await expect(start({ devMode: true, auth0IssuerUrl: "https://atrope.us.auth0.com/" })).rejects.toThrow(/AUTH_MODE=dev/);
    await expect(start({ devMode: true, auth0Audience: "https://api.atrope.dev" })).rejects.toThrow(/AUTH_MODE=dev/);
  });

  it("honours tokenLifetimeSeconds and a custom claim namespace", async () => {
    const s = await start({ tokenLifetimeSeconds: 5, claimNamespace: "https://claims.example/" });
    try {
      const token = await m2mToken(s, s.control.clients.globexM2m);
      const claims = decodeJwt(token);
      expect(claims.exp! - claims.iat!).toBe(5);
      expect(claims["https://claims.example/tenant_id"]).toBe(s.control.tenants.globex.id);
      expect((await call(s.api, "/v1/me", { token })).body["tenantId"]).toBe(s.control.tenants.globex.id);
    } finally {
      await s.sandbox.stop();
    }
  });
});

describe("IMS for browser callers (the framework's CORS)", () => {
  it("answers the preflight of a sign-in app and lets it read every header of the API's and the issuer's answers", async () => {
    const s = await start();
    try {
      const origin = "http://127.0.0.1:5173";
      const preflight = await fetch(`${s.api}/v1/items`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,idempotency-key" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
      expect(preflight.headers.get("access-control-allow-headers")).toBe("authorization,content-type,idempotency-key");
      expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
      const token = await s.control.issueToken({ tenantId: s.control.tenants.acme.id });
      const listed = await fetch(`${s.api}/v1/items`, { headers: { origin, authorization: `Bearer ${token}` } });
      expect(listed.status).toBe(200);
      expect(listed.headers.get("access-control-allow-origin")).toBe(origin);
      expect(listed.headers.get("access-control-expose-headers")).toBe("*");
      expect(listed.headers.get("x-ratelimit-remaining")).not.toBeNull();
      const refused = await fetch(s.control.tokenUrl, { method: "POST", headers: { origin, "content-type": "application/json" }, body: "{}" });
      expect(refused.status).toBe(400);
      expect(refused.headers.get("access-control-allow-origin")).toBe(origin);
    } finally {
      await s.sandbox.stop();
    }
  });
});
