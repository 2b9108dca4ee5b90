/**
 * Each seed API's credential schemes, end to end: the public `createClient` against loopback
 * servers (a token endpoint signing real JWTs, an API verifying them), asserting what the user
 * gets back and what each server received.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  OAuthTokenError,
  apiKey,
  bearerToken,
  buildAuthorizeUrl,
  clientCredentials,
  createPkcePair,
  createState,
  exchangeAuthorizationCode,
  loginSession,
  none,
  type ApiDescriptor,
  type Fetcher,
  type TokenRefreshEvent,
} from "../../src/index.js";
import { arrotech, atlas, clientFor, erip, eudr, ims } from "../support/apis.js";
import { START } from "../support/clock.js";
import type { Loopback } from "../support/loopback.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();
const imsTenantClaim = "https://atrope.dev/claims/tenant_id";
const refusedWith = (code: string, message?: string) =>
  expect.objectContaining({ code, ...(message !== undefined ? { message: expect.stringContaining(message) } : {}) });

/**
 * Delivers requests for any host to the loopback API, as DNS would deliver them to the real one:
 * the answer looks as if it came from the host asked for (no other origin in `response.url`).
 */
function deliverTo(server: Loopback<unknown>): Fetcher {
  return async (url, init) => {
    const target = new URL(url);
    const answer = await fetch(`${server.url}${target.pathname}${target.search}`, init as RequestInit);
    return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
}

describe("Atrope IMS", () => {
  it("client credentials as JSON with audience; the tenant and permissions come from the token's claims", async () => {
    const tenant = "3f1c0d5e-tenant-a";
    const auth = await f.auth({ clients: { "cli-ims": { secret: "ims-client-secret-0001", tenant } } });
    const api = await f.api({ tenantClaim: imsTenantClaim });
    const credential = clientCredentials({
      tokenUrl: auth.tokenUrl,
      clientId: "cli-ims",
      clientSecret: "ims-client-secret-0001",
      audience: "https://api.atrope.dev",
      bodyEncoding: "json",
      tenant,
      scope: "catalog:read inventory:read",
      clock: f.clock,
    });
    const client = clientFor(ims, { baseUrl: api.url, auth: credential, headers: { "x-expected-tenant": tenant } });

    const { data, error } = await client.GET("/v1/items");
    expect(error).toBeUndefined();
    expect(data).toEqual({ ok: true, via: "jwt", tenant });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ scheme: "bearer", tenant });
    expect(api.requests[0]?.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(auth.requests).toHaveLength(1);
    expect(auth.requests[0]?.contentType).toBe("application/json");
    expect(auth.requests[0]?.params).toEqual({
      grant_type: "client_credentials",
      client_id: "cli-ims",
      client_secret: "ims-client-secret-0001",
      audience: "https://api.atrope.dev",
      scope: "catalog:read inventory:read",
    });
    expect(credential.grantedScopes?.()).toEqual(["catalog:read", "inventory:read"]);
  });

  it("AUTH_MODE=dev: none() sends no credential at all, and is refused against production", async () => {
    const api = await f.api({ devMode: true });
    const { data } = await clientFor(ims, { baseUrl: api.url, auth: none() }).GET("/v1/items");
    expect(data).toEqual({ ok: true, via: "dev" });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.scheme).toBe("none");
    expect(api.requests[0]?.headers.authorization).toBeUndefined();
    expect(() => clientFor(ims, { baseUrl: "https://api.atrope.dev", auth: none() })).toThrow(refusedWith("ENVIRONMENT_MISMATCH"));
    expect(() => clientFor(ims, { auth: none() })).toThrow(refusedWith("ENVIRONMENT_MISMATCH")); // the spec's server is production
  });
});

describe("Atlas SoftPOS", () => {
  const atlasClient = { cli_01JQABC123456: { secret: "cs_test_atlas-secret-0002" } };
  const atlasCredentials = { clientId: "cli_01JQABC123456", clientSecret: "cs_test_atlas-secret-0002", bodyEncoding: "json" } as const;

  it("client credentials as JSON with scope and terminal_id; a response without a lifetime → 3600 s", async () => {
    const auth = await f.auth({ clients: atlasClient, tokenPath: "/v1/token", includeExpiresIn: false, includeExp: false });
    const api = await f.api();
    const events: TokenRefreshEvent[] = [];
    const credential = clientCredentials({
      ...atlasCredentials,
      tokenUrl: auth.tokenUrl,
      scope: ["terminal:read", "transactions:write"],
      extraParams: { terminal_id: "TID-00012345" },
      defaultLifetimeSeconds: 3600,
      maxLifetimeSeconds: 86400,
      clock: f.clock,
      hooks: { onTokenRefresh: (event) => events.push(event) },
    });
    const client = clientFor(atlas, { baseUrl: api.url, auth: credential });

    const { data, meta } = await client.POST("/v1/transaction/sale", { body: { amount: 1250, currency: "NZD" } });
    expect(data).toMatchObject({ via: "jwt" });
    expect(api.requests[0]?.scheme).toBe("bearer");
    expect(api.requests[0]?.headers["idempotency-key"]).toBe(meta.idempotencyKey);
    expect(auth.requests[0]).toMatchObject({
      contentType: "application/json",
      params: { grant_type: "client_credentials", client_id: "cli_01JQABC123456", client_secret: "cs_test_atlas-secret-0002", scope: "terminal:read transactions:write", terminal_id: "TID-00012345" },
    });
    expect(events[0]?.lifetimeMs).toBe(3_600_000);

    // The token is used for its 3600 s, and replaced once they are over.
    f.clock.advance(3_000_000);
    await client.GET("/v1/device/health");
    expect(auth.requests).toHaveLength(1);
    f.clock.advance(600_000);
    await client.GET("/v1/device/health");
    expect(auth.requests).toHaveLength(2);
    expect(api.requests.map((r) => r.scheme)).toEqual(["bearer", "bearer", "bearer"]);
    expect(api.expired).toBe(0);
  });

  it("the requested lifetime is sent as expires_in and capped at 86400 (option check and response cap)", async () => {
    expect(() =>
      clientCredentials({ ...atlasCredentials, tokenUrl: "https://auth.atlas-softpos.com/v1/token", lifetimeSeconds: 90_000, maxLifetimeSeconds: 86_400 }),
    ).toThrow(refusedWith("INVALID_OPTIONS", "lifetimeSeconds"));
    const auth = await f.auth({ clients: atlasClient, tokenPath: "/v1/token", maxLifetimeSeconds: 86_400 });
    const api = await f.api();
    const events: TokenRefreshEvent[] = [];
    const asked = clientCredentials({
      ...atlasCredentials,
      tokenUrl: auth.tokenUrl,
      extraParams: { terminal_id: "TID-00012345" },
      lifetimeSeconds: 7200,
      maxLifetimeSeconds: 86_400,
      clock: f.clock,
      hooks: { onTokenRefresh: (event) => events.push(event) },
    });
    expect((await clientFor(atlas, { baseUrl: api.url, auth: asked }).GET("/v1/device/health")).data).toMatchObject({ via: "jwt" });
    expect(auth.requests[0]?.params.expires_in).toBe(7200);
    expect(events[0]?.lifetimeMs).toBe(7_200_000);

    // The JWT has no exp, so only the cap limits the stated 999999 s.
    const greedy = await f.auth({ clients: atlasClient, tokenPath: "/v1/token", expiresInOverride: 999_999, includeExp: false });
    const capped: TokenRefreshEvent[] = [];
    const credential = clientCredentials({
      ...atlasCredentials,
      tokenUrl: greedy.tokenUrl,
      maxLifetimeSeconds: 86_400,
      clock: f.clock,
      hooks: { onTokenRefresh: (event) => capped.push(event) },
    });
    const client = clientFor(atlas, { baseUrl: api.url, auth: credential });
    await client.GET("/v1/device/health");
    expect(capped[0]?.lifetimeMs).toBe(86_400_000);
    f.clock.advance(86_400_000);
    await client.GET("/v1/device/health");
    expect(greedy.requests).toHaveLength(2);
  });

  it("X-Api-Key with rotation: an in-flight request keeps its key, the next ones use the new key; a 401 for a rotated key is replayed once", async () => {
    const [first, second, third] = ["sk_test_9f8e7d6c5b4a3210aaaa", "sk_test_new0000000000000bbbb", "sk_test_new0000000000000cccc"];
    const keys = new Set([first]);
    const api = await f.api({ apiKeys: keys });
    const key = apiKey(first);
    const client = clientFor(atlas, { baseUrl: api.url, auth: key });
    expect((await client.GET("/v1/device/health")).data).toEqual({ ok: true, via: "apiKey" });

    // Rotated while a request is in flight: that request carried (and keeps) the old key.
    const release = api.hold();
    const inFlight = client.GET("/v1/device/health");
    await api.until(2);
    keys.add(second);
    key.rotate(second);
    release();
    expect((await inFlight).data).toMatchObject({ via: "apiKey" });
    expect(key.fingerprint).toBe("sk_test_…");
    await client.GET("/v1/device/health");
    expect(api.requests.map((r) => r.apiKey)).toEqual([first, first, second]);

    // The server drops a key rotated out while a request with it is in flight: one replay with the new key.
    const hold = api.hold();
    const caught = client.GET("/v1/device/health");
    await api.until(4);
    key.rotate(third);
    keys.add(third);
    keys.delete(first);
    keys.delete(second);
    hold();
    const replayed = await caught;
    expect(replayed.data).toMatchObject({ via: "apiKey" });
    expect(replayed.meta.attempts).toBe(2);
    expect(api.requests.slice(3).map((r) => r.apiKey)).toEqual([second, third]);

    // A 401 for the current key is the answer: no replay.
    keys.delete(third);
    const refused = await client.GET("/v1/device/health");
    expect(refused.error?.status).toBe(401);
    expect(refused.meta.attempts).toBe(1);
    expect(api.requests).toHaveLength(6);
  });

  it("environment rails at construction: sandbox secrets against production, live ones against the sandbox", () => {
    const prod = "https://api.atlas-softpos.com";
    expect(() => clientFor(atlas, { baseUrl: prod, auth: apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa") })).toThrow(refusedWith("ENVIRONMENT_MISMATCH"));
    expect(() => clientFor(atlas, { auth: apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa") })).toThrow(refusedWith("ENVIRONMENT_MISMATCH")); // the spec's first server
    expect(() => clientFor(atlas, { baseUrl: prod, auth: apiKey("sk_live_aaaaaaaaaaaaaaaaaaaa") })).not.toThrow();
    expect(() => clientFor(atlas, { baseUrl: "https://sandbox.api.atlas-softpos.com", auth: apiKey("sk_live_aaaaaaaaaaaaaaaaaaaa") })).toThrow(
      refusedWith("ENVIRONMENT_MISMATCH", "production"),
    );
    const secret = clientCredentials({ tokenUrl: "https://auth.atlas-softpos.com/v1/token", clientId: "cli_1", clientSecret: "cs_test_bbbbbbbbbbbbbbbb" });
    expect(() => clientFor(atlas, { baseUrl: prod, auth: secret })).toThrow(refusedWith("ENVIRONMENT_MISMATCH", "sandbox"));
  });

  it("environment rails per request: a key rotated to a live one is refused on loopback (a sandbox) before it is sent", async () => {
    const api = await f.api({ apiKeys: new Set(["sk_test_aaaaaaaaaaaaaaaaaaaa"]) });
    const key = apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa");
    const client = clientFor(atlas, { baseUrl: api.url, auth: key });
    expect((await client.GET("/v1/device/health")).data).toMatchObject({ via: "apiKey" });
    key.rotate("sk_live_cccccccccccccccccccc");
    const refused = await client.GET("/v1/device/health");
    expect(refused.error).toEqual(refusedWith("ENVIRONMENT_MISMATCH"));
    expect(refused.error?.message).not.toContain("sk_live_cccccccccccccccccccc");
    expect(api.requests).toHaveLength(1);
  });

  it("bearerToken(fn): its first value, a test key, is refused against production before it is sent", async () => {
    const live = `cs_live_${randomBytes(12).toString("hex")}`;
    const test = `cs_test_${randomBytes(12).toString("hex")}`;
    const api = await f.api({ bearerTokens: new Set([live, test]) });
    const production = (token: () => string) => clientFor(atlas, { baseUrl: "https://api.atlas-softpos.com", fetcher: deliverTo(api), auth: bearerToken(token) });

    const first = await production(() => test).GET("/v1/device/health");
    expect(first.error).toEqual(refusedWith("ENVIRONMENT_MISMATCH", "sandbox"));
    expect(api.requests).toHaveLength(0);

    // The same route carries a live token (so the refusal above is the rail, not the route).
    const values = [live, test];
    const client = production(() => values.shift() ?? live);
    expect((await client.GET("/v1/device/health")).data).toEqual({ ok: true, via: "static" });
    expect(api.requests.map((r) => r.token)).toEqual([live]);
    // A later value is checked the same way.
    expect((await client.GET("/v1/device/health")).error).toEqual(refusedWith("ENVIRONMENT_MISMATCH"));
    expect(api.requests).toHaveLength(1);
  });

  it("a production host written with a trailing dot is production", async () => {
    const dotted = "https://api.atlas-softpos.com.";
    expect(() => clientFor(atlas, { baseUrl: dotted, auth: apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa") })).toThrow(refusedWith("ENVIRONMENT_MISMATCH"));
    expect(() => clientFor(atlas, { baseUrl: "https://API.Atlas-SoftPOS.com./", auth: apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa") })).toThrow(refusedWith("ENVIRONMENT_MISMATCH"));
    const api = await f.api({ bearerTokens: new Set(["cs_test_0123456789abcdef0123"]) });
    const client = clientFor(atlas, { baseUrl: dotted, fetcher: deliverTo(api), auth: bearerToken(() => "cs_test_0123456789abcdef0123") });
    expect((await client.GET("/v1/device/health")).error).toEqual(refusedWith("ENVIRONMENT_MISMATCH"));
    expect(api.requests).toHaveLength(0);
  });

  it("one scheme per request: API key and token are alternatives; the spec's order decides, the user's binding by name wins", async () => {
    const auth = await f.auth({ clients: atlasClient, tokenPath: "/v1/token" });
    const api = await f.api({ apiKeys: new Set(["sk_test_aaaaaaaaaaaaaaaaaaaa"]) });
    const key = apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa");
    const jwt = clientCredentials({ ...atlasCredentials, tokenUrl: auth.tokenUrl, clock: f.clock });
    expect((await clientFor(atlas, { baseUrl: api.url, auth: [jwt, key] }).GET("/v1/device/health")).data).toMatchObject({ via: "apiKey" });
    expect(auth.requests).toHaveLength(0);
    expect((await clientFor(atlas, { baseUrl: api.url, auth: { bearerAuth: jwt } }).GET("/v1/device/health")).data).toMatchObject({ via: "jwt" });
    const both = await clientFor(atlas, { baseUrl: api.url, auth: jwt }).GET("/v1/device/health", { headers: { "X-Api-Key": "sk_test_aaaaaaaaaaaaaaaaaaaa" } });
    expect(both.error).toEqual(refusedWith("CREDENTIAL_CONFLICT"));
    expect(api.requests.map((r) => r.scheme)).toEqual(["apiKey", "bearer"]);
    expect(api.both).toBe(0);
  });

  // The spec's x-portico-default-token-lifetime (the scheme's defaultLifetimeSeconds) is never read by clientCredentials.
  it("a token response without a lifetime takes the spec's default token lifetime", async () => {
    const auth = await f.auth({ clients: atlasClient, tokenPath: "/v1/token", includeExpiresIn: false, includeExp: false });
    const api = await f.api();
    const short: ApiDescriptor = {
      ...atlas,
      securitySchemes: { ...atlas.securitySchemes, bearerAuth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: auth.tokenUrl } }, defaultLifetimeSeconds: 600 } },
    };
    const events: TokenRefreshEvent[] = [];
    const credential = clientCredentials({ ...atlasCredentials, tokenUrl: auth.tokenUrl, clock: f.clock, hooks: { onTokenRefresh: (event) => events.push(event) } });
    await clientFor(short, { baseUrl: api.url, auth: credential }).GET("/v1/device/health");
    expect(events[0]?.lifetimeMs).toBe(600_000);
  });
});

describe("Arrotech Hub", () => {
  it("client credentials form-encoded with scope", async () => {
    const auth = await f.auth({ clients: { arro_client: { secret: "arro-client-secret-0003" } }, tokenPath: "/auth/token" });
    const api = await f.api();
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "arro_client", clientSecret: "arro-client-secret-0003", scope: "data:read workflow:execute", bodyEncoding: "form", clock: f.clock });
    expect((await clientFor(arrotech, { baseUrl: api.url, auth: credential }).GET("/chat/providers")).data).toMatchObject({ via: "jwt" });
    expect(auth.requests[0]).toMatchObject({
      contentType: "application/x-www-form-urlencoded",
      method: "client_secret_post",
      params: { grant_type: "client_credentials", client_id: "arro_client", client_secret: "arro-client-secret-0003", scope: "data:read workflow:execute" },
    });
    expect(auth.requests[0]?.authorization).toBeUndefined();
  });

  it("API key as a static bearer token", async () => {
    const api = await f.api({ bearerTokens: new Set(["arro_live_key_0123456789abcdef"]) });
    expect((await clientFor(arrotech, { baseUrl: api.url, auth: bearerToken("arro_live_key_0123456789abcdef") }).GET("/chat/providers")).data).toEqual({ ok: true, via: "static" });
    expect(api.requests[0]?.headers.authorization).toBe("Bearer arro_live_key_0123456789abcdef");
  });

  it("authorization code + PKCE + state, then refresh with a rotating refresh token, then session end", async () => {
    const auth = await f.auth({ clients: { arro_app: { secret: "arro-app-secret-0004" } }, tokenPath: "/auth/token" });
    const api = await f.api();
    const redirectUri = "http://127.0.0.1/callback";
    const pkce = await createPkcePair();
    const state = createState();
    expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const authorizeUrl = new URL(
      buildAuthorizeUrl({ authorizationUrl: "https://hub.arrotechsolutions.com/auth/authorize", clientId: "arro_app", redirectUri, scope: "data:read", state, codeChallenge: pkce.codeChallenge }),
    );
    expect(Object.fromEntries(authorizeUrl.searchParams)).toEqual({
      response_type: "code",
      client_id: "arro_app",
      redirect_uri: redirectUri,
      scope: "data:read",
      state,
      code_challenge: pkce.codeChallenge,
      code_challenge_method: "S256",
    });
    // The user consents; the hub redirects back with a code and the same state.
    const code = auth.issueCode({ clientId: "arro_app", redirectUri, codeChallenge: pkce.codeChallenge, scope: "data:read" });
    const common = { tokenUrl: auth.tokenUrl, clientId: "arro_app", clientSecret: "arro-app-secret-0004", redirectUri, expectedState: state, clock: f.clock };

    await expect(exchangeAuthorizationCode({ ...common, code, codeVerifier: pkce.codeVerifier, state: createState() })).rejects.toEqual(refusedWith("STATE_MISMATCH"));
    expect(auth.requests).toHaveLength(0);

    const wrongVerifier = await exchangeAuthorizationCode({ ...common, code, codeVerifier: (await createPkcePair()).codeVerifier, state }).catch((error: unknown) => error);
    expect(wrongVerifier).toBeInstanceOf(OAuthTokenError);
    expect(wrongVerifier).toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_grant" });

    const code2 = auth.issueCode({ clientId: "arro_app", redirectUri, codeChallenge: pkce.codeChallenge, scope: "data:read" });
    let expiredEvents = 0;
    const credential = await exchangeAuthorizationCode({ ...common, code: code2, codeVerifier: pkce.codeVerifier, state, onSessionExpired: () => void (expiredEvents += 1) });
    expect(auth.requests.at(-1)?.params).toMatchObject({ grant_type: "authorization_code", code: code2, code_verifier: pkce.codeVerifier, redirect_uri: redirectUri });
    expect(credential.refreshable).toBe(true);
    const client = clientFor(arrotech, { baseUrl: api.url, auth: credential });
    expect((await client.GET("/chat/providers")).data).toMatchObject({ via: "jwt" });

    // Two server-side revocations in a row: the second refresh only works if the rotated refresh token was adopted.
    for (let i = 0; i < 2; i += 1) {
      api.revoke(api.requests.at(-1)?.token ?? "");
      const replayed = await client.GET("/chat/providers");
      expect(replayed.data).toMatchObject({ via: "jwt" });
      expect(replayed.meta.attempts).toBe(2);
      expect(auth.requests.at(-1)?.params.grant_type).toBe("refresh_token");
    }
    const usedRefreshTokens = auth.requests.filter((r) => r.params.grant_type === "refresh_token").map((r) => r.params.refresh_token);
    expect(new Set(usedRefreshTokens).size).toBe(2);

    // The session ends server-side: the 401 comes back, then SESSION_EXPIRED before anything is sent.
    auth.revokeRefreshTokens();
    api.revoke(api.requests.at(-1)?.token ?? "");
    const refused = await client.GET("/chat/providers");
    expect(refused.error?.status).toBe(401);
    const sent = api.requests.length;
    expect((await client.GET("/chat/providers")).error).toEqual(refusedWith("SESSION_EXPIRED"));
    expect(api.requests).toHaveLength(sent);
    expect(expiredEvents).toBe(1);
    expect(credential.refreshable).toBe(false);
  });

  it("internal /auth/login JWT: a login session whose end is the JWT exp", async () => {
    const api = await f.api();
    const jwt = await f.signer.sign({ sub: "dev-user" }, 600, f.clock.now());
    const session = loginSession({ token: jwt, clock: f.clock });
    expect(session.expiresAt).toBe(START + 600_000);
    const client = clientFor(arrotech, { baseUrl: api.url, auth: session });
    expect((await client.GET("/chat/providers")).data).toMatchObject({ via: "jwt" });
    f.clock.set(START + 600_000);
    expect((await client.GET("/chat/providers")).error).toEqual(refusedWith("SESSION_EXPIRED"));
    expect(api.requests).toHaveLength(1);
    expect(api.expired).toBe(0);
  });
});

describe("ERIP", () => {
  it("magic-link LoginResponse session: SESSION_EXPIRED before a dead token is sent; renew after a new sign-in", async () => {
    const api = await f.api();
    const token = await f.signer.sign({ sub: "01968a1c", tenantRole: "Admin" }, 3600, f.clock.now());
    const expired: string[] = [];
    const loginResponse = {
      token,
      expiresAt: "2026-04-22T15:00:00Z",
      user: { id: "01968a1c", name: "Jane Doe", email: "jane@acme.test", tenantRole: "Admin", tenantId: "019db4fc" },
      tenant: { id: "019db4fc", displayName: "Acme Capital Partners", tier: "Starter" },
    };
    const session = loginSession({ ...loginResponse, clock: f.clock, onSessionExpired: (event) => expired.push(event.credential) });
    const client = clientFor(erip, { baseUrl: api.url, auth: session });
    expect((await client.GET("/v1/tenant/credits")).data).toMatchObject({ via: "jwt" });
    f.clock.set(Date.parse("2026-04-22T15:00:00Z"));
    for (let i = 0; i < 3; i += 1) expect((await client.GET("/v1/tenant/credits")).error).toEqual(refusedWith("SESSION_EXPIRED"));
    expect(api.requests).toHaveLength(1);
    expect(expired).toHaveLength(1);
    session.renew({ token: await f.signer.sign({ sub: "01968a1c" }, 3600, f.clock.now()), expiresAt: "2026-04-22T16:00:00Z" });
    expect((await client.GET("/v1/tenant/credits")).data).toMatchObject({ via: "jwt" });
    expect(api.expired).toBe(0);
  });

  it("API keys in X-Api-Key reach /companies but not /tenant (JWT only), locally; no-auth operations send nothing", async () => {
    const key = `erip_${randomBytes(16).toString("hex")}`;
    const api = await f.api({ apiKeys: new Set([key]), devMode: true });
    const credential = apiKey(key);
    expect(credential.fingerprint).toBe(`${key.slice(0, 8)}…`);
    const client = clientFor(erip, { baseUrl: api.url, auth: credential });
    expect((await client.GET("/v1/companies/search")).data).toEqual({ ok: true, via: "apiKey" });
    const tenantOnly = await client.GET("/v1/tenant/credits");
    expect(tenantOnly.error).toEqual(refusedWith("CREDENTIAL_NOT_ALLOWED", "jwtAuth"));
    expect(tenantOnly.error?.message).not.toContain(key);
    expect(tenantOnly.meta.attempts).toBe(0);
    expect((await client.POST("/v1/auth/request-login-link", { body: { email: "jane@acme.test" } })).data).toEqual({ ok: true, via: "dev" });
    expect(api.requests.map((r) => r.scheme)).toEqual(["apiKey", "none"]);
    expect(api.requests[1]?.headers["x-api-key"]).toBeUndefined();
  });
});

describe("Nentropy EUDR", () => {
  const eudrServer = "https://backend.joinnentropy.com/api/v1/integration";

  it("a bearer token in the declared format passes; a malformed one is refused before it is sent (INVALID_TOKEN_FORMAT)", async () => {
    const good = `eudr_live_${randomBytes(24).toString("hex")}`;
    const api = await f.api({ bearerTokens: new Set([good]) });
    expect((await clientFor(eudr, { baseUrl: api.url, auth: bearerToken(good) }).GET("/suppliers")).data).toEqual({ ok: true, via: "static" });
    // A static token is checked when the client is built, a token function's value before each send.
    let thrown: unknown;
    try {
      clientFor(eudr, { baseUrl: api.url, auth: bearerToken(good.slice(0, -2)) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(refusedWith("INVALID_TOKEN_FORMAT"));
    expect((thrown as Error).message).not.toContain(good.slice(12, -2));
    expect(() => clientFor(eudr, { baseUrl: api.url, auth: bearerToken(`eudr_test_${randomBytes(24).toString("hex")}`) })).toThrow(refusedWith("INVALID_TOKEN_FORMAT"));
    const fromFunction = await clientFor(eudr, { baseUrl: api.url, auth: bearerToken(async () => good.slice(0, -2)) }).GET("/suppliers");
    expect(fromFunction.error).toEqual(refusedWith("INVALID_TOKEN_FORMAT"));
    expect(api.requests).toHaveLength(1);
  });

  it("a static token in the wrong format is refused when the client is built", () => {
    const truncated = `eudr_live_${randomBytes(23).toString("hex")}`;
    expect(() => clientFor(eudr, { baseUrl: eudrServer, auth: bearerToken(truncated) })).toThrow(refusedWith("INVALID_TOKEN_FORMAT"));
  });
});
