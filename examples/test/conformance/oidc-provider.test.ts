/**
 * Conformance against a certified OpenID Provider we did not write (panva's oidc-provider 8):
 * core's `clientCredentials` and `exchangeAuthorizationCode` + PKCE, used by a generated client
 * (`createImsApiClient`) against a loopback API that verifies the provider's JWTs via its JWKS.
 * Token requests are counted at the provider; with 4-second tokens, refresh-ahead must keep every
 * API request on a valid token with about one token per half-lifetime.
 *
 * Time is one fake `Date` shared by the provider (it signs `iat`/`exp` and sets `Date`), the API
 * (it checks `exp` with no tolerance) and the client (its token cache): it stands still while
 * requests are in flight and moves only when the test steps it. So "no expired token reaches the
 * API" and the token counts are exact, whatever the machine's speed; no real time is waited.
 */
import { createImsApiClient } from "@atrope-ai/api-client";
import { buildAuthorizeUrl, clientCredentials, createPkcePair, type ClientCredentialsOptions, createState, exchangeAuthorizationCode, type TokenRefreshEvent } from "@portico/core";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { signInThroughProvider } from "./oidc/interactions.js";
import { startProtectedApi, type ProtectedApi } from "./oidc/protected-api.js";
import { RESOURCE, RESOURCE_SCOPES, startProvider, type TestProvider } from "./oidc/provider.js";

const LIFETIME_S = 4;

/** Fakes `Date` only (timers and I/O stay real), from the next whole second. */
function fakeDate(): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Math.ceil(Date.now() / 1000) * 1000);
}
/** Moves the shared clock forward. */
function step(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

let provider: TestProvider;
let api: ProtectedApi;

beforeAll(async () => {
  provider = await startProvider({ accessTokenTtlSeconds: LIFETIME_S });
  api = await startProtectedApi({ issuer: provider.issuer, audience: RESOURCE, jwksUrl: provider.jwksUrl });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await api?.stop();
  await provider?.stop();
});

/** The provider's machine client, asking for the API's scopes as an RFC 8707 resource. */
const machineCredentials = (extra: Pick<ClientCredentialsOptions, "hooks"> = {}) =>
  clientCredentials({
    tokenUrl: provider.tokenUrl,
    clientId: provider.machine.clientId,
    clientSecret: provider.machine.clientSecret,
    scope: RESOURCE_SCOPES,
    extraParams: { resource: RESOURCE },
    ...extra,
  });

describe("client credentials against oidc-provider", () => {
  it("refreshes ahead of expiry: no expired token ever reaches the API, about one token per half-lifetime", async () => {
    fakeDate();
    const refreshes: TokenRefreshEvent[] = [];
    let unauthorized = 0;
    const before = { ...api.stats };
    const ims = createImsApiClient({
      baseUrl: api.url,
      auth: machineCredentials({ hooks: { onTokenRefresh: (event) => void refreshes.push(event) } }),
      retry: false,
      hooks: { onResponse: ({ response }) => void (response.status === 401 && (unauthorized += 1)) },
    });

    const grantsBefore = provider.grants["client_credentials"] ?? 0;
    const started = Date.now();
    const durationMs = 9_000;
    let calls = 0;
    const failures: string[] = [];
    while (Date.now() - started < durationMs) {
      const results = await Promise.all([ims.GET("/v1/me"), ims.GET("/v1/items"), ims.GET("/v1/items")]);
      calls += results.length;
      for (const r of results) if (r.error) failures.push(r.error.code);
      step(250);
    }
    const elapsed = Date.now() - started;
    const issued = (provider.grants["client_credentials"] ?? 0) - grantsBefore;

    expect(failures).toEqual([]);
    expect(unauthorized).toBe(0);
    expect(api.stats.expired - before.expired).toBe(0);
    expect(api.stats.invalid - before.invalid).toBe(0);
    expect(api.stats.accepted - before.accepted).toBe(calls);
    // Counted at the provider: at least one token per lifetime, at most one per half-lifetime (+ slack).
    expect(issued).toBe(refreshes.length);
    expect(issued).toBeGreaterThanOrEqual(Math.ceil(elapsed / (LIFETIME_S * 1000)));
    expect(issued).toBeLessThanOrEqual(Math.ceil(elapsed / ((LIFETIME_S * 1000) / 2)) + 2);
    expect(refreshes.filter((e) => e.reason === "refresh-ahead").length).toBeGreaterThanOrEqual(1);
    expect(calls).toBeGreaterThan(issued * 5);
    // The provider's JWT carried the lifetime it was configured with (the earlier of `expires_in`
    // and `exp` counts, so whole-second rounding plus the round trip may shave up to ~1.5 s).
    expect(refreshes[0]?.lifetimeMs).toBeGreaterThan((LIFETIME_S - 1.5) * 1000);
    expect(refreshes[0]?.lifetimeMs).toBeLessThanOrEqual(LIFETIME_S * 1000 + 1000);
  });

  it("makes one token request for a burst of concurrent cold calls", async () => {
    const grantsBefore = provider.grants["client_credentials"] ?? 0;
    const ims = createImsApiClient({
      baseUrl: api.url,
      auth: machineCredentials(),
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => ims.GET("/v1/items")));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect((provider.grants["client_credentials"] ?? 0) - grantsBefore).toBe(1);
  });

  it("surfaces the provider's refusal of a wrong secret as a typed error", async () => {
    const ims = createImsApiClient({
      baseUrl: api.url,
      auth: clientCredentials({ tokenUrl: provider.tokenUrl, clientId: provider.machine.clientId, clientSecret: "wrong-secret", extraParams: { resource: RESOURCE } }),
      retry: false,
    });
    const stats = { ...api.stats };
    const { error } = await ims.GET("/v1/me");
    expect(error?.code).toBe("TOKEN_REFRESH_FAILED");
    expect(JSON.stringify(error)).not.toContain("wrong-secret");
    expect(api.stats.accepted + api.stats.missing + api.stats.invalid).toBe(stats.accepted + stats.missing + stats.invalid);
  });
});

describe("authorization code + PKCE against oidc-provider", () => {
  it("signs a user in through login and consent, exchanges the code with the verifier, and refreshes", async () => {
    const { web } = provider;
    const pkce = await createPkcePair();
    const state = createState();
    const authorizeUrl = buildAuthorizeUrl({
      authorizationUrl: provider.authorizationUrl,
      clientId: web.clientId,
      redirectUri: web.redirectUri,
      scope: `openid offline_access ${RESOURCE_SCOPES}`,
      state,
      codeChallenge: pkce.codeChallenge,
      extraParams: { resource: RESOURCE, prompt: "consent" },
    });
    const callback = await signInThroughProvider(authorizeUrl, { login: "ada@example.com", redirectUri: web.redirectUri });
    expect(callback.searchParams.get("error")).toBeNull();
    expect(callback.searchParams.get("state")).toBe(state);
    const code = callback.searchParams.get("code") ?? "";
    expect(code).not.toBe("");

    const exchange = { tokenUrl: provider.tokenUrl, clientId: web.clientId, clientSecret: web.clientSecret, code, redirectUri: web.redirectUri, expectedState: state };
    // A forged state is refused before any request; a wrong verifier is refused by the provider (PKCE is enforced).
    await expect(exchangeAuthorizationCode({ ...exchange, state: createState(), codeVerifier: pkce.codeVerifier })).rejects.toMatchObject({ code: "STATE_MISMATCH" });
    const wrong = await createPkcePair();
    await expect(exchangeAuthorizationCode({ ...exchange, state, codeVerifier: wrong.codeVerifier })).rejects.toMatchObject({
      code: "TOKEN_REFRESH_FAILED",
      oauthError: "invalid_grant",
    });
    expect(provider.grants["authorization_code"] ?? 0).toBe(0);

    const refreshes: TokenRefreshEvent[] = [];
    const user = await exchangeAuthorizationCode({ ...exchange, state, codeVerifier: pkce.codeVerifier, hooks: { onTokenRefresh: (e) => void refreshes.push(e) } });
    expect(provider.grants["authorization_code"]).toBe(1);
    expect(user.refreshable).toBe(true);

    const ims = createImsApiClient({ baseUrl: api.url, auth: user, retry: false });
    const me = await ims.GET("/v1/me");
    expect(me.error).toBeUndefined();
    expect(me.data?.subject).toBe("ada@example.com");

    // Keep calling past the first token's lifetime (on the shared clock, stepped between calls):
    // the refresh token is used ahead of expiry.
    fakeDate();
    const stats = { ...api.stats };
    const until = Date.now() + LIFETIME_S * 1000 + 1500;
    while (Date.now() < until) {
      const r = await ims.GET("/v1/items");
      expect(r.error).toBeUndefined();
      step(150);
    }
    expect(provider.grants["refresh_token"] ?? 0).toBeGreaterThanOrEqual(1);
    expect(refreshes.some((e) => e.reason === "refresh-ahead")).toBe(true);
    expect(api.stats.expired - stats.expired).toBe(0);
  });
});
