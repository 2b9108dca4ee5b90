/** Each seed API's credential schemes, end to end against loopback servers. */
import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiKey } from "../../src/auth/api-key.js";
import { exchangeAuthorizationCode } from "../../src/auth/authorization-code.js";
import { bearerToken } from "../../src/auth/bearer-token.js";
import { clientCredentials } from "../../src/auth/client-credentials.js";
import type { AuthorizeContext } from "../../src/auth/credential.js";
import { loginSession } from "../../src/auth/login-session.js";
import { none } from "../../src/auth/none.js";
import { buildAuthorizeUrl, createPkcePair, createState } from "../../src/auth/pkce.js";
import { checkCredentials } from "../../src/auth/request-safety.js";
import { PorticoError } from "../../src/errors/portico-error.js";
import { OAuthTokenError } from "../../src/tokens/oauth-error.js";
import type { TokenRefreshEvent } from "../../src/tokens/token-manager.js";
import { arrotech, atlas, erip, eudr, ims } from "./support/descriptors.js";
import { call } from "./support/mini-pipeline.js";
import { createSigner, startApiServer, startAuthServer, type Loopback, type Signer, useLoopbackFixtures } from "./support/servers.js";

const fixtures = useLoopbackFixtures();
function track<T extends Loopback>(server: T): T {
  fixtures.open.push(server);
  return server;
}
const imsClaims = { tenant: "https://atrope.dev/claims/tenant_id", permissions: "https://atrope.dev/claims/permissions" };
const ctx = (url: string, schemeDescriptor: AuthorizeContext["schemeDescriptor"] = { type: "bearer" }): AuthorizeContext => ({
  url,
  method: "GET",
  operation: "GET /",
  scheme: "s",
  schemeDescriptor,
  scopes: [],
});

describe("Atrope IMS", () => {
  it("client credentials as JSON with audience; the tenant and permissions come from the token's claims", async () => {
    const auth = track(
      await startAuthServer({ signer: fixtures.signer, clients: { "cli-ims": { secret: "ims-client-secret-0001", tenant: "3f1c0d5e-tenant-a" } } }),
    );
    const api = track(await startApiServer({ signer: fixtures.signer, tenantClaim: imsClaims.tenant }));
    const credential = clientCredentials({
      tokenUrl: auth.tokenUrl,
      clientId: "cli-ims",
      clientSecret: "ims-client-secret-0001",
      audience: "https://api.atrope.dev",
      bodyEncoding: "json",
      tenant: "3f1c0d5e-tenant-a",
      scope: "catalog:read inventory:read",
    });
    const result = await call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims: imsClaims, headers: { "x-expected-tenant": "3f1c0d5e-tenant-a" } });
    expect(result).toMatchObject({ status: 200, body: { via: "jwt", tenant: "3f1c0d5e-tenant-a" } });
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
    const api = track(await startApiServer({ devMode: true }));
    const result = await call({ descriptor: ims, credentials: none(), baseUrl: api.url, path: "/v1/items" });
    expect(result).toMatchObject({ status: 200, body: { via: "dev" } });
    expect(api.received).toEqual([{ path: "/v1/items", scheme: "none" }]);
    expect(checkCredentials(ims, api.url, none())).toBeUndefined();
    expect(checkCredentials(ims, "https://api.atrope.dev", none())?.code).toBe("ENVIRONMENT_MISMATCH");
  });
});

describe("Atlas SoftPOS", () => {
  const atlasClient = { "cli_01JQABC123456": { secret: "cs_test_atlas-secret-0002" } };

  it("client credentials as JSON with scope and terminal_id; response without a lifetime → 3600 s", async () => {
    const auth = track(await startAuthServer({ signer: fixtures.signer, clients: atlasClient, tokenPath: "/v1/token", includeExpiresIn: false, includeExp: false }));
    const api = track(await startApiServer({ signer: fixtures.signer }));
    const events: TokenRefreshEvent[] = [];
    const credential = clientCredentials({
      tokenUrl: auth.tokenUrl,
      clientId: "cli_01JQABC123456",
      clientSecret: "cs_test_atlas-secret-0002",
      scope: ["terminal:read", "transactions:write"],
      extraParams: { terminal_id: "TID-00012345" },
      bodyEncoding: "json",
      defaultLifetimeSeconds: 3600,
      maxLifetimeSeconds: 86400,
      hooks: { onTokenRefresh: (event) => events.push(event) },
    });
    const result = await call({ descriptor: atlas, credentials: credential, baseUrl: api.url, method: "POST", path: "/v1/transaction/sale" });
    expect(result).toMatchObject({ status: 200, body: { via: "jwt" } });
    expect(auth.requests[0]).toEqual({
      contentType: "application/json",
      params: { grant_type: "client_credentials", client_id: "cli_01JQABC123456", client_secret: "cs_test_atlas-secret-0002", scope: "terminal:read transactions:write", terminal_id: "TID-00012345" },
    });
    expect(events[0]?.lifetimeMs).toBe(3_600_000);
  });

  it("requested lifetime is sent as expires_in, capped at 86400 (option check and response cap)", async () => {
    expect(() =>
      clientCredentials({ tokenUrl: "https://auth.atlas-softpos.com/v1/token", clientId: "cli_x", clientSecret: "cs_test_x", lifetimeSeconds: 90_000, maxLifetimeSeconds: 86_400 }),
    ).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    const auth = track(await startAuthServer({ signer: fixtures.signer, clients: atlasClient, tokenPath: "/v1/token", maxLifetimeSeconds: 86_400 }));
    const events: TokenRefreshEvent[] = [];
    const asked = clientCredentials({
      tokenUrl: auth.tokenUrl, clientId: "cli_01JQABC123456", clientSecret: "cs_test_atlas-secret-0002", bodyEncoding: "json",
      extraParams: { terminal_id: "TID-00012345" }, lifetimeSeconds: 7200, maxLifetimeSeconds: 86_400,
      hooks: { onTokenRefresh: (event) => events.push(event) },
    });
    await asked.authorize(ctx(auth.url));
    expect(auth.requests[0]?.params.expires_in).toBe(7200);
    // The JWT's exp (whole seconds after iat) may end the token up to a second before expires_in says.
    expect(events[0]?.lifetimeMs).toBeLessThanOrEqual(7_200_000);
    expect(events[0]?.lifetimeMs).toBeGreaterThan(7_190_000);

    // No exp in the JWT, so only the cap limits the stated 999999 s.
    const greedy = track(await startAuthServer({ signer: fixtures.signer, clients: atlasClient, tokenPath: "/v1/token", expiresInOverride: 999_999, includeExp: false }));
    const capped: TokenRefreshEvent[] = [];
    const credential = clientCredentials({
      tokenUrl: greedy.tokenUrl, clientId: "cli_01JQABC123456", clientSecret: "cs_test_atlas-secret-0002", bodyEncoding: "json", maxLifetimeSeconds: 86_400,
      hooks: { onTokenRefresh: (event) => capped.push(event) },
    });
    await credential.authorize(ctx(greedy.url));
    expect(capped[0]?.lifetimeMs).toBe(86_400_000);
  });

  it("X-Api-Key with rotation: in-flight requests keep their key, the next ones use the new key", async () => {
    const keys = new Set(["sk_test_9f8e7d6c5b4a3210aaaa"]);
    const api = track(await startApiServer({ apiKeys: keys }));
    const key = apiKey("sk_test_9f8e7d6c5b4a3210aaaa");
    expect(await call({ descriptor: atlas, credentials: key, baseUrl: api.url, path: "/v1/device/health" })).toMatchObject({ status: 200, body: { via: "apiKey" } });

    const inFlight = await key.authorize(ctx(api.url, atlas.securitySchemes.apiKeyAuth));
    keys.add("sk_test_new0000000000000bbbb");
    key.rotate("sk_test_new0000000000000bbbb");
    expect(inFlight.headers).toEqual({ "X-Api-Key": "sk_test_9f8e7d6c5b4a3210aaaa" });
    expect(key.fingerprint).toBe("sk_test_…");
    const next = await key.authorize(ctx(api.url, atlas.securitySchemes.apiKeyAuth));
    expect(next.headers).toEqual({ "X-Api-Key": "sk_test_new0000000000000bbbb" });
    // A 401 for the old key is worth one replay (the new key is ready); for the current one it is not.
    expect(await key.invalidate?.(inFlight.handle)).toBe(true);
    expect(await key.invalidate?.(next.handle)).toBe(false);
    keys.delete("sk_test_9f8e7d6c5b4a3210aaaa"); // 24 h later
    expect(await call({ descriptor: atlas, credentials: key, baseUrl: api.url, path: "/v1/device/health" })).toMatchObject({ status: 200 });
    expect(api.received.at(-1)?.apiKey).toBe("sk_test_new0000000000000bbbb");
  });

  it("environment rails: sandbox secrets against production, live ones against the sandbox (loopback), also after rotation", async () => {
    expect(checkCredentials(atlas, "https://api.atlas-softpos.com", apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa"))?.code).toBe("ENVIRONMENT_MISMATCH");
    expect(checkCredentials(atlas, "https://api.atlas-softpos.com", apiKey("sk_live_aaaaaaaaaaaaaaaaaaaa"))).toBeUndefined();
    expect(checkCredentials(atlas, "https://sandbox.atlas-softpos.com", apiKey("sk_live_aaaaaaaaaaaaaaaaaaaa"))?.code).toBe("ENVIRONMENT_MISMATCH");
    const secret = clientCredentials({ tokenUrl: "https://auth.atlas-softpos.com/v1/token", clientId: "cli_1", clientSecret: "cs_test_bbbbbbbbbbbbbbbb" });
    const mismatch = checkCredentials(atlas, "https://api.atlas-softpos.com", secret);
    expect(mismatch?.code).toBe("ENVIRONMENT_MISMATCH");
    expect(mismatch?.message).toContain("sandbox");

    const api = track(await startApiServer({ apiKeys: new Set(["sk_test_aaaaaaaaaaaaaaaaaaaa"]) }));
    const key = apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa");
    expect(await call({ descriptor: atlas, credentials: key, baseUrl: api.url, path: "/v1/device/health" })).toMatchObject({ status: 200 });
    key.rotate("sk_live_cccccccccccccccccccc");
    const refused = await call({ descriptor: atlas, credentials: key, baseUrl: api.url, path: "/v1/device/health" });
    expect(refused).toMatchObject({ error: { code: "ENVIRONMENT_MISMATCH" } });
    expect(api.received).toHaveLength(1);
  });

  it("one scheme per request: the first alternative wins, and a request that would carry both is refused", async () => {
    const auth = track(await startAuthServer({ signer: fixtures.signer, clients: atlasClient, tokenPath: "/v1/token" }));
    const api = track(await startApiServer({ signer: fixtures.signer, apiKeys: new Set(["sk_test_aaaaaaaaaaaaaaaaaaaa"]) }));
    const key = apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa");
    const jwt = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli_01JQABC123456", clientSecret: "cs_test_atlas-secret-0002", bodyEncoding: "json" });
    expect(await call({ descriptor: atlas, credentials: [jwt, key], baseUrl: api.url, path: "/v1/device/health" })).toMatchObject({ status: 200, body: { via: "apiKey" } });
    const both = await call({ descriptor: atlas, credentials: jwt, baseUrl: api.url, path: "/v1/device/health", headers: { "X-Api-Key": "sk_test_aaaaaaaaaaaaaaaaaaaa" } });
    expect(both).toMatchObject({ error: { code: "CREDENTIAL_CONFLICT" } });
    expect(api.both).toBe(0);
  });
});

describe("Arrotech Hub", () => {
  it("client credentials form-encoded with scope", async () => {
    const auth = track(await startAuthServer({ signer: fixtures.signer, clients: { arro_client: { secret: "arro-client-secret-0003" } }, tokenPath: "/auth/token" }));
    const api = track(await startApiServer({ signer: fixtures.signer }));
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "arro_client", clientSecret: "arro-client-secret-0003", scope: "data:read workflow:execute", bodyEncoding: "form" });
    expect(await call({ descriptor: arrotech, credentials: credential, baseUrl: api.url, path: "/chat/providers" })).toMatchObject({ status: 200, body: { via: "jwt" } });
    expect(auth.requests[0]).toEqual({
      contentType: "application/x-www-form-urlencoded",
      params: { grant_type: "client_credentials", client_id: "arro_client", client_secret: "arro-client-secret-0003", scope: "data:read workflow:execute" },
    });
  });

  it("API key as a static bearer token", async () => {
    const api = track(await startApiServer({ bearerTokens: new Set(["arro_live_key_0123456789abcdef"]) }));
    expect(await call({ descriptor: arrotech, credentials: bearerToken("arro_live_key_0123456789abcdef"), baseUrl: api.url, path: "/chat/providers" })).toMatchObject({ status: 200, body: { via: "static" } });
  });

  it("authorization code + PKCE + state, then refresh with a rotating refresh token, then session end", async () => {
    const auth = track(await startAuthServer({ signer: fixtures.signer, clients: { arro_app: { secret: "arro-app-secret-0004" } }, tokenPath: "/auth/token" }));
    const api = track(await startApiServer({ signer: fixtures.signer }));
    const redirectUri = "http://127.0.0.1/callback";
    const pkce = await createPkcePair();
    const state = createState();
    expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const authorizeUrl = new URL(
      buildAuthorizeUrl({ authorizationUrl: "https://hub.arrotechsolutions.com/auth/authorize", clientId: "arro_app", redirectUri, scope: "data:read", state, codeChallenge: pkce.codeChallenge }),
    );
    expect(Object.fromEntries(authorizeUrl.searchParams)).toEqual({
      response_type: "code", client_id: "arro_app", redirect_uri: redirectUri, scope: "data:read", state, code_challenge: pkce.codeChallenge, code_challenge_method: "S256",
    });
    // The user consents; the hub redirects back with a code and the same state.
    const code = auth.issueCode({ clientId: "arro_app", redirectUri, codeChallenge: pkce.codeChallenge, scope: "data:read" });
    const common = { tokenUrl: auth.tokenUrl, clientId: "arro_app", clientSecret: "arro-app-secret-0004", redirectUri, expectedState: state };

    await expect(exchangeAuthorizationCode({ ...common, code, codeVerifier: pkce.codeVerifier, state: createState() })).rejects.toMatchObject({
      code: "STATE_MISMATCH",
    });
    expect(auth.requests).toHaveLength(0);

    const wrongVerifier = await exchangeAuthorizationCode({ ...common, code, codeVerifier: (await createPkcePair()).codeVerifier, state }).catch((error: unknown) => error);
    expect(wrongVerifier).toBeInstanceOf(OAuthTokenError);
    expect(wrongVerifier).toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_grant" });

    const code2 = auth.issueCode({ clientId: "arro_app", redirectUri, codeChallenge: pkce.codeChallenge, scope: "data:read" });
    let expiredEvents = 0;
    const credential = await exchangeAuthorizationCode({ ...common, code: code2, codeVerifier: pkce.codeVerifier, state, onSessionExpired: () => void (expiredEvents += 1) });
    expect(auth.requests.at(-1)?.params).toMatchObject({ grant_type: "authorization_code", code: code2, code_verifier: pkce.codeVerifier, redirect_uri: redirectUri });
    expect(credential.refreshable).toBe(true);
    expect(await call({ descriptor: arrotech, credentials: credential, baseUrl: api.url, path: "/chat/providers" })).toMatchObject({ status: 200 });

    // Two refreshes in a row: the second only works if the rotated refresh token was adopted.
    for (let i = 0; i < 2; i += 1) {
      api.rejectNext(1);
      expect(await call({ descriptor: arrotech, credentials: credential, baseUrl: api.url, path: "/chat/providers" })).toMatchObject({ status: 200, attempts: 2 });
      expect(auth.requests.at(-1)?.params.grant_type).toBe("refresh_token");
    }
    const usedRefreshTokens = auth.requests.filter((r) => r.params.grant_type === "refresh_token").map((r) => r.params.refresh_token);
    expect(new Set(usedRefreshTokens).size).toBe(2);

    auth.revokeRefreshTokens();
    api.rejectNext(1);
    expect(await call({ descriptor: arrotech, credentials: credential, baseUrl: api.url, path: "/chat/providers" })).toMatchObject({ status: 401 });
    expect(await call({ descriptor: arrotech, credentials: credential, baseUrl: api.url, path: "/chat/providers" })).toMatchObject({ error: { code: "SESSION_EXPIRED" } });
    expect(expiredEvents).toBe(1);
    expect(credential.refreshable).toBe(false);
  });

  it("internal /auth/login JWT: a login session whose end is the JWT exp", async () => {
    const api = track(await startApiServer({ signer: fixtures.signer }));
    const jwt = await fixtures.signer.sign({ sub: "dev-user" }, 600);
    const session = loginSession({ token: jwt });
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 590_000);
    expect(await call({ descriptor: arrotech, credentials: session, baseUrl: api.url, path: "/chat/providers" })).toMatchObject({ status: 200, body: { via: "jwt" } });
  });
});

describe("ERIP", () => {
  it("magic-link LoginResponse session: SESSION_EXPIRED before a dead token is sent; renew after a new sign-in", async () => {
    const api = track(await startApiServer({ signer: fixtures.signer }));
    let now = Date.parse("2026-04-22T14:00:00Z");
    const clock = { now: () => now };
    const token = await fixtures.signer.sign({ sub: "01968a1c", tenantRole: "Admin" }, 3600);
    const expired: string[] = [];
    const loginResponse = {
      token,
      expiresAt: "2026-04-22T15:00:00Z",
      user: { id: "01968a1c", name: "Jane Doe", email: "jane@acme.test", tenantRole: "Admin", tenantId: "019db4fc" },
      tenant: { id: "019db4fc", displayName: "Acme Capital Partners", tier: "Starter" },
    };
    const session = loginSession({ ...loginResponse, clock, onSessionExpired: (event) => expired.push(event.credential) });
    expect(await call({ descriptor: erip, credentials: session, baseUrl: api.url, path: "/v1/tenant/credits" })).toMatchObject({ status: 200 });
    now = Date.parse("2026-04-22T15:00:00Z");
    for (let i = 0; i < 3; i += 1) {
      expect(await call({ descriptor: erip, credentials: session, baseUrl: api.url, path: "/v1/tenant/credits" })).toMatchObject({ error: { code: "SESSION_EXPIRED" } });
    }
    expect(api.received).toHaveLength(1);
    expect(expired).toHaveLength(1);
    session.renew({ token: await fixtures.signer.sign({ sub: "01968a1c" }, 3600), expiresAt: "2026-04-22T16:00:00Z" });
    expect(await call({ descriptor: erip, credentials: session, baseUrl: api.url, path: "/v1/tenant/credits" })).toMatchObject({ status: 200 });
  });

  it("API keys in X-Api-Key reach /companies but not /tenant (JWT only), locally; no-auth operations send nothing", async () => {
    const key = `erip_${randomBytes(16).toString("hex")}`;
    const api = track(await startApiServer({ signer: fixtures.signer, apiKeys: new Set([key]), devMode: true }));
    const credential = apiKey(key);
    expect(credential.fingerprint).toBe(`${key.slice(0, 8)}…`);
    expect(await call({ descriptor: erip, credentials: credential, baseUrl: api.url, path: "/v1/companies/search" })).toMatchObject({ status: 200, body: { via: "apiKey" } });
    const tenantOnly = await call({ descriptor: erip, credentials: credential, baseUrl: api.url, path: "/v1/tenant/credits" });
    expect(tenantOnly).toMatchObject({ error: { code: "CREDENTIAL_NOT_ALLOWED" } });
    expect((tenantOnly as { error: PorticoError }).error.message).toContain("jwtAuth");
    expect(await call({ descriptor: erip, credentials: credential, baseUrl: api.url, method: "POST", path: "/v1/auth/request-login-link" })).toMatchObject({ status: 200, body: { via: "dev" } });
    expect(api.received.map((r) => r.scheme)).toEqual(["apiKey", "none"]);
  });
});

describe("Nentropy EUDR", () => {
  it("bearer token in the declared format passes; a malformed one is refused locally (INVALID_TOKEN_FORMAT)", async () => {
    const good = `eudr_live_${randomBytes(24).toString("hex")}`;
    const api = track(await startApiServer({ bearerTokens: new Set([good]) }));
    expect(await call({ descriptor: eudr, credentials: bearerToken(good), baseUrl: api.url, path: "/suppliers" })).toMatchObject({ status: 200 });
    const truncated = bearerToken(good.slice(0, -2));
    expect(checkCredentials(eudr, "https://backend.joinnentropy.com/api/v1/integration", truncated)?.code).toBe("INVALID_TOKEN_FORMAT");
    expect(await call({ descriptor: eudr, credentials: truncated, baseUrl: api.url, path: "/suppliers" })).toMatchObject({ error: { code: "INVALID_TOKEN_FORMAT" } });
    expect(await call({ descriptor: eudr, credentials: bearerToken(`eudr_test_${randomBytes(24).toString("hex")}`), baseUrl: api.url, path: "/suppliers" })).toMatchObject({
      error: { code: "INVALID_TOKEN_FORMAT" },
    });
    expect(api.received).toHaveLength(1);
  });
});
