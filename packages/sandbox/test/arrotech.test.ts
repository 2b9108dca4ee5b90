/**
 * The Arrotech Hub sandbox over loopback HTTP with plain fetch: form-only token endpoint (client
 * credentials, authorization code with state + PKCE, rotating refresh tokens), `/auth/login` JWTs,
 * API keys and the environment rule, scopes, workspace isolation, idempotent workflow execution.
 */
import { createHash, randomBytes } from "node:crypto";
import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArrotechSandbox } from "../src/apis/arrotech/index.js";
import { runSandbox } from "../src/framework/run-sandbox.js";
import type { SandboxApiOptions } from "../src/types.js";
import { call, type Json } from "./support/call.js";

async function start(options: SandboxApiOptions = {}) {
  const sandbox = await runSandbox({ arrotech: createArrotechSandbox }, { apis: ["arrotech"], options: { arrotech: options } });
  return { sandbox, control: sandbox.apis.arrotech.control, api: sandbox.urls.arrotech.api, hub: sandbox.urls.arrotech.hub };
}

type Started = Awaited<ReturnType<typeof start>>;
const form = (s: Started, params: Record<string, string>, headers: Record<string, string> = {}) =>
  call(s.api, "/auth/token", { method: "POST", raw: new URLSearchParams(params).toString(), headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers } });

const pkce = () => {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
};

describe("Arrotech sandbox", () => {
  let s: Started;
  let serverToken: (scope?: string) => Promise<string>;
  beforeAll(async () => {
    s = await start();
    serverToken = async (scope = "data:read workflow:execute") => {
      const c = s.control.clients.server;
      const res = await form(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, scope });
      expect(res.status).toBe(200);
      return res.body["access_token"] as string;
    };
  });
  afterAll(async () => {
    await s.sandbox.stop();
  });

  describe("POST /auth/token", () => {
    it("issues a client-credentials JWT for the seed's form request with scope=data:read workflow:execute", async () => {
      const c = s.control.clients.server;
      const res = await form(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, scope: "data:read workflow:execute" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "data:read workflow:execute" });
      expect(res.body["refresh_token"]).toBeUndefined();
      expect(res.headers.get("cache-control")).toBe("no-store");
      const claims = decodeJwt(res.body["access_token"]);
      expect(claims).toMatchObject({ iss: s.api, aud: "arrotech-hub", sub: c.clientId, ws: "ws_acme" });
      const me = await call(s.api, "/auth/me", { token: res.body["access_token"] });
      expect(me.body).toEqual({ type: "oauth_client", id: c.clientId, workspaceId: "ws_acme", scopes: ["data:read", "workflow:execute"], environment: "sandbox" });
    });

    it("answers a JSON body 400 invalid_request, as the spec says (form encoding only)", async () => {
      const c = s.control.clients.server;
      const res = await call(s.api, "/auth/token", { method: "POST", body: { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "invalid_request", code: "INVALID_REQUEST" });
    });

    it("accepts HTTP Basic client authentication and refuses wrong secrets, unknown scopes and grants", async () => {
      const c = s.control.clients.server;
      const basic = await form(s, { grant_type: "client_credentials" }, { Authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64")}` });
      expect(basic.status).toBe(200);
      const wrong = await form(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: "wrong" });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ error: "invalid_client", code: "INVALID_CLIENT" });
      expect(JSON.stringify(wrong.body)).not.toContain(c.clientSecret);
      expect((await form(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, scope: "admin:all" })).body["error"]).toBe("invalid_scope");
      expect((await form(s, { grant_type: "password", client_id: c.clientId, client_secret: c.clientSecret })).body["error"]).toBe("unsupported_grant_type");
      const web = s.control.clients.web;
      expect((await form(s, { grant_type: "client_credentials", client_id: web.clientId, client_secret: web.clientSecret })).body["error"]).toBe("unauthorized_client");
    });

    it("checks the body against the spec's TokenRequest schema of its grant before authenticating the client", async () => {
      const c = s.control.clients.server;
      const noRedirect = await form(s, { grant_type: "authorization_code", code: "abc", client_id: c.clientId, client_secret: "wrong" });
      expect(noRedirect.status).toBe(400);
      expect(noRedirect.body).toMatchObject({ error: "invalid_request", code: "INVALID_REQUEST", details: { errors: [{ in: "body", path: "/redirect_uri" }] } });
      const unknownParameter = await form(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: "wrong", audience: "https://elsewhere.example" });
      expect(unknownParameter.body).toMatchObject({ error: "invalid_request", details: { errors: [{ in: "body", path: "/audience" }] } });
      const shortVerifier = await form(s, { grant_type: "authorization_code", code: "abc", redirect_uri: "http://127.0.0.1:8123/callback", client_id: c.clientId, code_verifier: "short" });
      expect(shortVerifier.body).toMatchObject({ error: "invalid_request", details: { errors: [{ in: "body", path: "/code_verifier" }] } });
      const noGrant = await form(s, { client_id: c.clientId, client_secret: c.clientSecret });
      expect([noGrant.status, noGrant.body["error"]]).toEqual([400, "invalid_request"]);
      const twoGrants = await call(s.api, "/auth/token", { method: "POST", raw: "grant_type=client_credentials&grant_type=refresh_token", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
      expect([twoGrants.status, twoGrants.body["error"]]).toEqual([400, "invalid_request"]);
    });
  });

  describe("authorization code (hub /auth/authorize)", () => {
    const callback = "http://127.0.0.1:8123/callback";

    async function authorize(params: Record<string, string>) {
      const res = await fetch(`${s.hub}/auth/authorize?${new URLSearchParams({ response_type: "code", redirect_uri: callback, scope: "data:read", ...params })}`, { redirect: "manual" });
      const location = res.headers.get("location");
      return { status: res.status, url: location ? new URL(location) : undefined };
    }

    const exchange = (params: Record<string, string>) => form(s, { grant_type: "authorization_code", redirect_uri: callback, ...params });

    it("round-trips state and exchanges the code (confidential client, the seed's exchange)", async () => {
      const web = s.control.clients.web;
      const state = "xyz";
      const { status, url } = await authorize({ client_id: web.clientId, state });
      expect(status).toBe(302);
      expect(`${url!.origin}${url!.pathname}`).toBe(callback);
      expect(url!.searchParams.get("state")).toBe(state);
      const res = await exchange({ code: url!.searchParams.get("code")!, client_id: web.clientId, client_secret: web.clientSecret });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: "Bearer", scope: "data:read", refresh_token: expect.any(String) });
      const me = await call(s.api, "/auth/me", { token: res.body["access_token"] });
      expect(me.body).toMatchObject({ type: "oauth_user", id: s.control.users.acmeDeveloper.id, scopes: ["data:read"] });
      expect((await call(s.api, "/data/sources", { token: res.body["access_token"] })).status).toBe(200);
      expect((await call(s.api, "/workflows", { token: res.body["access_token"] })).body["code"]).toBe("INSUFFICIENT_SCOPE");
    });

    it("verifies PKCE S256 at the exchange and keeps codes single-use", async () => {
      const spa = s.control.clients.spa;
      const good = pkce();
      const a = await authorize({ client_id: spa.clientId, state: "s1", code_challenge: good.challenge, code_challenge_method: "S256" });
      const codeA = a.url!.searchParams.get("code")!;
      expect((await exchange({ code: codeA, client_id: spa.clientId, code_verifier: pkce().verifier })).body["error"]).toBe("invalid_grant");
      expect((await exchange({ code: codeA, client_id: spa.clientId, code_verifier: good.verifier })).body["error"]).toBe("invalid_grant"); // burnt by the failed attempt
      const b = await authorize({ client_id: spa.clientId, state: "s2", code_challenge: good.challenge, code_challenge_method: "S256" });
      const codeB = b.url!.searchParams.get("code")!;
      expect((await exchange({ code: codeB, client_id: spa.clientId, code_verifier: good.verifier })).status).toBe(200);
      expect((await exchange({ code: codeB, client_id: spa.clientId, code_verifier: good.verifier })).body).toMatchObject({ error: "invalid_grant", code: "INVALID_GRANT" });
    });

    it("requires the same redirect_uri at the exchange and never redirects to an unregistered one", async () => {
      const web = s.control.clients.web;
      const { url } = await authorize({ client_id: web.clientId, state: "s" });
      const res = await form(s, { grant_type: "authorization_code", code: url!.searchParams.get("code")!, client_id: web.clientId, client_secret: web.clientSecret, redirect_uri: "http://127.0.0.1:8123/elsewhere" });
      expect(res.body["error"]).toBe("invalid_grant");
      const foreign = await fetch(`${s.hub}/auth/authorize?${new URLSearchParams({ response_type: "code", client_id: web.clientId, redirect_uri: "https://attacker.example/cb", state: "s" })}`, { redirect: "manual" });
      expect(foreign.status).toBe(400);
      expect(foreign.headers.get("location")).toBeNull();
    });

    it("requires PKCE S256 from public clients and answers denial with error=access_denied and the state", async () => {
      const spa = s.control.clients.spa;
      expect((await authorize({ client_id: spa.clientId, state: "s" })).url!.searchParams.get("error")).toBe("invalid_request");
      expect((await authorize({ client_id: spa.clientId, state: "s", code_challenge: pkce().challenge })).url!.searchParams.get("error")).toBe("invalid_request"); // plain by default
      s.control.denyNextAuthorization();
      const denied = await authorize({ client_id: spa.clientId, state: "tampered?", code_challenge: pkce().challenge, code_challenge_method: "S256" });
      expect(denied.url!.searchParams.get("error")).toBe("access_denied");
      expect(denied.url!.searchParams.get("state")).toBe("tampered?");
      expect((await authorize({ client_id: spa.clientId, state: "s", scope: "data:read root:all", code_challenge: pkce().challenge, code_challenge_method: "S256" })).url!.searchParams.get("error")).toBe("invalid_scope");
    });

    it("rotates refresh tokens, counts refresh grants, and revokes the family on replay", async () => {
      const spa = s.control.clients.spa;
      const p = pkce();
      const { url } = await authorize({ client_id: spa.clientId, state: "s", scope: "data:read chat:read", code_challenge: p.challenge, code_challenge_method: "S256" });
      const first = (await exchange({ code: url!.searchParams.get("code")!, client_id: spa.clientId, code_verifier: p.verifier })).body;
      s.control.resetTokenRequests();
      const refresh = (token: string) => form(s, { grant_type: "refresh_token", refresh_token: token, client_id: spa.clientId });
      const second = await refresh(first["refresh_token"]);
      expect(second.status).toBe(200);
      expect(second.body["refresh_token"]).not.toBe(first["refresh_token"]);
      expect(second.body["scope"]).toBe("data:read chat:read");
      expect(s.control.tokenRequests.byGrant.refresh_token).toBe(1);
      expect(s.control.tokenRequests.total).toBe(1);
      expect((await refresh(first["refresh_token"])).body["error"]).toBe("invalid_grant");
      expect((await refresh(second.body["refresh_token"])).body["error"]).toBe("invalid_grant");
      expect(s.control.tokenRequests.byGrant.refresh_token).toBe(1);
      expect(s.control.tokenRequests.total).toBe(3);
    });
  });

  describe("credentials on the API", () => {
    it("serves the seed's GET /chat/providers with a sandbox API key", async () => {
      const res = await call(s.api, "/chat/providers", { token: s.control.apiKeys.acmeTest.key });
      expect(res.status).toBe(200);
      expect(res.body["data"].map((p: Json) => p["id"])).toEqual(["openai", "anthropic", "mistral"]);
      expect(res.headers.get("x-request-id")).toMatch(/^req_/);
      expect(res.headers.get("x-ratelimit-limit")).toBe("6000");
    });

    it("answers a live key 401 UNAUTHORIZED in the sandbox environment, and a revoked key too", async () => {
      const live = await call(s.api, "/chat/providers", { token: s.control.apiKeys.acmeLive.key });
      expect([live.status, live.body["code"], live.body["details"]]).toEqual([401, "UNAUTHORIZED", { reason: "environment_mismatch" }]);
      expect(JSON.stringify(live.body)).not.toContain(s.control.apiKeys.acmeLive.key);
      const missing = await call(s.api, "/chat/providers");
      expect([missing.status, missing.body["code"]]).toEqual([401, "UNAUTHORIZED"]);
      const unknown = await call(s.api, "/chat/providers", { token: `ak_test_${"x".repeat(32)}` });
      expect(unknown.body["code"]).toBe("UNAUTHORIZED");
    });

    it("signs in with /auth/login (api and hub origins) and accepts the JWT as a bearer", async () => {
      const u = s.control.users.acmeDeveloper;
      for (const base of [s.api, s.hub]) {
        const res = await call(base, "/auth/login", { method: "POST", body: { email: u.email, password: u.password } });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, user: { id: u.id, email: u.email, workspaceId: "ws_acme" } });
        expect((await call(s.api, "/workflows", { token: res.body["access_token"] })).status).toBe(200);
      }
      const bad = await call(s.api, "/auth/login", { method: "POST", body: { email: u.email, password: "nope" } });
      expect([bad.status, bad.body["code"]]).toEqual([401, "INVALID_CREDENTIALS"]);
      expect((await call(s.api, "/auth/login", { method: "POST", body: { email: u.email } })).body["code"]).toBe("VALIDATION_ERROR");
    });

    it("answers TOKEN_EXPIRED and INVALID_TOKEN for JWTs", async () => {
      const short = await s.control.issueToken({ workspaceId: "ws_acme", expiresIn: 30 });
      s.sandbox.clock.advance(31_000);
      try {
        expect((await call(s.api, "/workflows", { token: short })).body["code"]).toBe("TOKEN_EXPIRED");
      } finally {
        s.sandbox.clock.advance(-31_000);
      }
      const forged = await new SignJWT({ scope: "workflow:read", ws: "ws_acme", pt: "user" }).setProtectedHeader({ alg: "HS256" }).setIssuer(s.api).setAudience("arrotech-hub").setSubject("usr_x").setExpirationTime("1h").sign(new Uint8Array(32));
      expect((await call(s.api, "/workflows", { token: forged })).body["code"]).toBe("INVALID_TOKEN");
    });

    it("enforces scopes with 403 INSUFFICIENT_SCOPE", async () => {
      const ro = s.control.apiKeys.acmeTestReadOnly.key;
      expect((await call(s.api, "/workflows", { token: ro })).status).toBe(200);
      const exec = await call(s.api, "/workflows/wf_sync_crm/execute", { token: ro, method: "POST", body: {} });
      expect([exec.status, exec.body["code"], exec.body["details"]]).toEqual([403, "INSUFFICIENT_SCOPE", { required: ["workflow:execute"] }]);
      const token = await serverToken("data:read workflow:execute");
      expect((await call(s.api, "/chat/providers", { token })).body["code"]).toBe("INSUFFICIENT_SCOPE");
    });
  });

  describe("API behaviour", () => {
    it("executes a workflow idempotently and reports the run's status on the sandbox clock", async () => {
      const token = await serverToken("workflow:execute data:read");
      const key = randomBytes(8).toString("hex");
      const body = { input: { since: "2024-01-01" } };
      const first = await call(s.api, "/workflows/wf_sync_crm/execute", { token, method: "POST", body, headers: { "Idempotency-Key": key } });
      expect([first.status, first.body["status"]]).toEqual([202, "queued"]);
      const again = await call(s.api, "/workflows/wf_sync_crm/execute", { token, method: "POST", body, headers: { "Idempotency-Key": key } });
      expect(again.body["id"]).toBe(first.body["id"]);
      const other = await call(s.api, "/workflows/wf_sync_crm/execute", { token, method: "POST", body: { input: { since: "2025-01-01" } }, headers: { "Idempotency-Key": key } });
      expect([other.status, other.body["code"]]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
      const reader = s.control.apiKeys.acmeTestReadOnly.key;
      const path = `/workflows/wf_sync_crm/runs/${first.body["id"]}`;
      expect((await call(s.api, path, { token: reader })).body["status"]).toBe("running");
      s.sandbox.clock.advance(2_500);
      try {
        const done = await call(s.api, path, { token: reader });
        expect(done.body).toMatchObject({ status: "succeeded", output: { recordsProcessed: 42 } });
      } finally {
        s.sandbox.clock.advance(-2_500);
      }
      const runs = await call(s.api, "/workflows/wf_sync_crm/runs", { token: reader });
      expect(runs.body["data"].filter((r: Json) => r["id"] === first.body["id"])).toHaveLength(1);
      const disabled = await call(s.api, "/workflows/wf_legacy_export/execute", { token, method: "POST" });
      expect([disabled.status, disabled.body["code"]]).toEqual([409, "WORKFLOW_DISABLED"]);
    });

    it("isolates workspaces", async () => {
      const acme = s.control.apiKeys.acmeTest.key;
      const umbrella = s.control.apiKeys.umbrellaTest.key;
      const created = await call(s.api, "/data/sources", { token: acme, method: "POST", body: { name: "Invoices", type: "postgres" }, headers: { "Idempotency-Key": randomBytes(8).toString("hex") } });
      expect(created.status).toBe(201);
      const mine = (await call(s.api, "/data/sources", { token: acme })).body["data"].map((x: Json) => x["id"]);
      const theirs = (await call(s.api, "/data/sources", { token: umbrella })).body["data"].map((x: Json) => x["id"]);
      expect(mine).toContain(created.body["id"]);
      expect(theirs).not.toContain(created.body["id"]);
      expect((await call(s.api, `/data/sources/${created.body["id"]}/records`, { token: umbrella })).status).toBe(404);
      expect((await call(s.api, "/workflows/wf_sync_crm", { token: umbrella })).status).toBe(404);
      expect((await call(s.api, "/data/sources", { token: acme, method: "POST", body: { name: "invoices", type: "csv" } })).body["code"]).toBe("SOURCE_ALREADY_EXISTS");
    });

    it("upserts records by externalId", async () => {
      const acme = s.control.apiKeys.acmeTest.key;
      const write = (fields: Json) => call(s.api, "/data/sources/src_crm_contacts/records", { token: acme, method: "POST", body: { records: [{ externalId: "ext-1", fields }, { fields: { name: "New" } }] } });
      const res = await write({ name: "Ada King" });
      expect(res.body).toMatchObject({ created: 1, updated: 1 });
      const listed = await call(s.api, "/data/sources/src_crm_contacts/records?externalId=ext-1", { token: acme });
      expect(listed.body["data"][0]["fields"]).toEqual({ name: "Ada King" });
    });

    it("completes chats into sessions and answers 503 PROVIDER_UNAVAILABLE for a provider that is down", async () => {
      const acme = s.control.apiKeys.acmeTest.key;
      const session = await call(s.api, "/chat/sessions", { token: acme, method: "POST", body: { provider: "openai", model: "gpt-4o-mini", title: "Help" } });
      expect(session.status).toBe(201);
      const done = await call(s.api, "/chat/completions", { token: acme, method: "POST", body: { provider: "openai", model: "gpt-4o-mini", sessionId: session.body["id"], messages: [{ role: "user", content: "hello there" }] } });
      expect(done.body).toMatchObject({ message: { role: "assistant", content: "[gpt-4o-mini] You said: hello there" }, finishReason: "stop", sessionId: session.body["id"] });
      expect((await call(s.api, `/chat/sessions/${session.body["id"]}`, { token: acme })).body["messages"]).toHaveLength(2);
      const down = await call(s.api, "/chat/completions", { token: acme, method: "POST", body: { provider: "mistral", model: "mistral-large", messages: [{ role: "user", content: "hi" }] } });
      expect([down.status, down.body["code"], down.headers.get("retry-after")]).toEqual([503, "PROVIDER_UNAVAILABLE", "30"]);
    });

    it("answers bad JSON, unknown fields and unknown routes with the declared errors", async () => {
      const acme = s.control.apiKeys.acmeTest.key;
      const badJson = await call(s.api, "/chat/completions", { token: acme, method: "POST", raw: "{" });
      expect([badJson.status, badJson.body["code"]]).toEqual([400, "VALIDATION_ERROR"]);
      const extra = await call(s.api, "/chat/sessions", { token: acme, method: "POST", body: { provider: "openai", model: "gpt-4o-mini", colour: "red" } });
      expect([extra.status, extra.body["code"]]).toEqual([400, "VALIDATION_ERROR"]);
      const route = await call(s.api, "/chat/history", { token: acme });
      expect([route.status, route.body["code"]]).toEqual([404, "NOT_FOUND"]);
    });
  });
});

describe("Arrotech sandbox playing production", () => {
  it("accepts live keys and answers sandbox keys 401 Unauthorized, as the seed says", async () => {
    const s = await start({ environment: "production", tokenLifetimeSeconds: 120 });
    try {
      expect((await call(s.api, "/chat/providers", { token: s.control.apiKeys.acmeLive.key })).status).toBe(200);
      const sandboxKey = await call(s.api, "/chat/providers", { token: s.control.apiKeys.acmeTest.key });
      expect([sandboxKey.status, sandboxKey.body["code"], sandboxKey.body["message"]]).toEqual([401, "UNAUTHORIZED", "Sandbox API keys cannot be used against production"]);
      const c = s.control.clients.server;
      const token = await form(s, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret });
      expect(token.body["expires_in"]).toBe(120);
      expect((await call(s.api, "/auth/me", { token: token.body["access_token"] })).body["environment"]).toBe("production");
    } finally {
      await s.sandbox.stop();
    }
  });
});
