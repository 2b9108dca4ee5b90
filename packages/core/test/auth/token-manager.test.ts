import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientCredentials } from "../../src/auth/client-credentials.js";
import type { AuthorizeContext } from "../../src/auth/credential.js";
import { PorticoError } from "../../src/errors/portico-error.js";
import type { Clock } from "../../src/internal/clock.js";
import type { TokenErrorEvent, TokenRefreshEvent } from "../../src/tokens/token-manager.js";
import { ims } from "./support/descriptors.js";
import { call } from "./support/mini-pipeline.js";
import { createSigner, startApiServer, startAuthServer, type Loopback, type Signer, useLoopbackFixtures } from "./support/servers.js";

const claims = { tenant: "https://atrope.dev/claims/tenant_id", permissions: "https://atrope.dev/claims/permissions" };
const context = (url: string): AuthorizeContext => ({
  url,
  method: "GET",
  operation: "GET /v1/items",
  scheme: "bearerAuth",
  schemeDescriptor: { type: "oauth2" },
  scopes: ["catalog:read"],
});

const fixtures = useLoopbackFixtures();

async function servers(lifetimeSeconds: number, delayMs = 0) {
  const auth = await startAuthServer({ signer: fixtures.signer, lifetimeSeconds, delayMs, clients: { "cli-ims": { secret: "s3cret-ims-client-secret", tenant: "t-1" } } });
  const api = await startApiServer({ signer: fixtures.signer, tenantClaim: claims.tenant });
  fixtures.open.push(auth, api);
  return { auth, api };
}

function movableClock(start = Date.now()): Clock & { set(ms: number): void } {
  let now = start;
  return { now: () => now, set: (ms) => void (now = ms) };
}

describe("token expiry", () => {
  it("a 5 s JWT whose expires_in rounds up is served until its exp, never beyond", async () => {
    // A server that states whole seconds, rounded up: expires_in 6 for a token whose exp is iat + 5.
    const auth = await startAuthServer({ signer: fixtures.signer, lifetimeSeconds: 5, expiresInOverride: 6, clients: { "cli-ims": { secret: "s3cret-ims-client-secret" } } });
    const api = await startApiServer({ signer: fixtures.signer });
    fixtures.open.push(auth, api);
    const refreshed: TokenRefreshEvent[] = [];
    const credential = clientCredentials({
      tokenUrl: auth.tokenUrl,
      clientId: "cli-ims",
      clientSecret: "s3cret-ims-client-secret",
      hooks: { onTokenRefresh: (event) => void refreshed.push(event) },
    });
    const before = Date.now();
    const authorization = await credential.authorize(context(api.url));
    const token = String(authorization.headers?.Authorization).slice("Bearer ".length);
    const { exp } = await fixtures.signer.verify(token);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]?.expiresAt).toBe(Number(exp) * 1000);
    expect(refreshed[0]?.expiresAt).toBeLessThan(before + 6_000);
  });
});

describe("token manager: one refresh per key", () => {
  it("500 concurrent authorize() on a cold token make exactly one token request", async () => {
    const { auth, api } = await servers(3600, 50);
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-ims", clientSecret: "s3cret-ims-client-secret", audience: "https://api.atrope.dev", bodyEncoding: "json" });
    const results = await Promise.all(Array.from({ length: 500 }, () => credential.authorize(context(api.url))));
    expect(auth.requests).toHaveLength(1);
    expect(new Set(results.map((result) => result.headers?.Authorization)).size).toBe(1);
    expect(results[0]?.headers?.Authorization).toMatch(/^Bearer eyJ/);
  });

  it("500 concurrent authorize() in the hard window, and again once expired, make one request each", async () => {
    const { auth, api } = await servers(600, 30);
    const clock = movableClock();
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-ims", clientSecret: "s3cret-ims-client-secret", clock });
    const first = await credential.authorize(context(api.url));
    const start = clock.now();
    // 10 s before expiry: inside the hard window (min(30 s, 10% of 600 s) = 30 s), callers wait.
    clock.set(start + 590_000);
    const expiring = await Promise.all(Array.from({ length: 500 }, () => credential.authorize(context(api.url))));
    expect(auth.requests).toHaveLength(2);
    expect(new Set(expiring.map((result) => result.headers?.Authorization))).toEqual(new Set([expiring[0]?.headers?.Authorization]));
    expect(expiring[0]?.headers?.Authorization).not.toBe(first.headers?.Authorization);
    // Past expiry of the second token.
    clock.set(start + 590_000 + 700_000);
    const expired = await Promise.all(Array.from({ length: 500 }, () => credential.authorize(context(api.url))));
    expect(auth.requests).toHaveLength(3);
    expect(new Set(expired.map((result) => result.headers?.Authorization)).size).toBe(1);
  });

  it("in the soft window serves the current token at once and refreshes in the background", async () => {
    const { auth, api } = await servers(600);
    const clock = movableClock();
    const refreshed: TokenRefreshEvent[] = [];
    const credential = clientCredentials({
      tokenUrl: auth.tokenUrl,
      clientId: "cli-ims",
      clientSecret: "s3cret-ims-client-secret",
      clock,
      hooks: { onTokenRefresh: (event) => refreshed.push(event) },
    });
    const first = await credential.authorize(context(api.url));
    clock.set(clock.now() + 400_000); // soft window: min(5 min, 300 s) before expiry
    const during = await credential.authorize(context(api.url));
    expect(during.headers?.Authorization).toBe(first.headers?.Authorization);
    await expect.poll(() => refreshed.length).toBe(2);
    expect(refreshed[1]?.reason).toBe("refresh-ahead");
    const after = await credential.authorize(context(api.url));
    expect(after.headers?.Authorization).not.toBe(first.headers?.Authorization);
    expect(auth.requests).toHaveLength(2);
  });

  it("with a 4 s token lifetime and refresh-ahead on, no API request ever carries an expired token", async () => {
    const { auth, api } = await servers(4);
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-ims", clientSecret: "s3cret-ims-client-secret", audience: "https://api.atrope.dev", bodyEncoding: "json" });
    const until = Date.now() + 9_000;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < until) {
          const result = await call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims });
          statuses.push("status" in result ? result.status : -1);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
    expect(api.expired).toBe(0);
    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.every((status) => status === 200)).toBe(true);
    // One token per ~2 s (refresh at half the lifetime): nowhere near one per request.
    expect(auth.requests.length).toBeGreaterThanOrEqual(3);
    expect(auth.requests.length).toBeLessThanOrEqual(8);
  });
});

describe("token manager: failures", () => {
  it("a token endpoint failing twice then recovering: calls while the old token is valid all succeed", async () => {
    const { auth, api } = await servers(4);
    const errors: TokenErrorEvent[] = [];
    const credential = clientCredentials({
      tokenUrl: auth.tokenUrl,
      clientId: "cli-ims",
      clientSecret: "s3cret-ims-client-secret",
      retryInitialMs: 150,
      hooks: { onTokenError: (event) => errors.push(event) },
    });
    const first = await call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims });
    expect(first).toMatchObject({ status: 200 });
    auth.failNext(2);
    const until = Date.now() + 4_500;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < until) {
          const result = await call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims });
          statuses.push("status" in result ? result.status : -1);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(api.expired).toBe(0);
    expect(errors.length).toBe(2);
    expect(errors.every((event) => event.servingPrevious && event.error.code === "TOKEN_REFRESH_FAILED" && event.error.status === 500)).toBe(true);
    expect(auth.requests.length).toBeGreaterThanOrEqual(4); // initial, two failures, recovery
  });

  it("no valid token and a failing endpoint → TOKEN_REFRESH_FAILED; the next call recovers", async () => {
    const { auth, api } = await servers(3600);
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-ims", clientSecret: "s3cret-ims-client-secret" });
    auth.failNext(1, 503);
    const failed = await Promise.allSettled(Array.from({ length: 20 }, () => credential.authorize(context(api.url))));
    expect(auth.requests).toHaveLength(1);
    for (const outcome of failed) {
      expect(outcome.status).toBe("rejected");
      const reason = (outcome as PromiseRejectedResult).reason as PorticoError;
      expect(reason).toBeInstanceOf(PorticoError);
      expect(reason.code).toBe("TOKEN_REFRESH_FAILED");
      expect(reason.status).toBe(503);
    }
    await expect(credential.authorize(context(api.url))).resolves.toMatchObject({ headers: { Authorization: expect.stringMatching(/^Bearer /) } });
  });

  it("401 → invalidate → refresh once → replay once; a second 401 is returned, never looped", async () => {
    const { auth, api } = await servers(3600);
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-ims", clientSecret: "s3cret-ims-client-secret" });
    await call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims });
    expect(auth.requests).toHaveLength(1);

    api.rejectNext(1); // the server revoked the token
    const replayed = await call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims });
    expect(replayed).toMatchObject({ status: 200, attempts: 2 });
    expect(auth.requests).toHaveLength(2);

    const refused = await call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/always-401", operation: "GET /v1/items", claims });
    expect(refused).toMatchObject({ status: 401, attempts: 2 });
    expect(auth.requests).toHaveLength(3);
  });

  it("50 concurrent 401s with the same token trigger one refresh", async () => {
    const { auth, api } = await servers(3600);
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-ims", clientSecret: "s3cret-ims-client-secret" });
    await credential.authorize(context(api.url));
    api.rejectNext(50);
    const results = await Promise.all(Array.from({ length: 50 }, () => call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims })));
    expect(results.every((result) => "status" in result && result.status === 200)).toBe(true);
    expect(auth.requests).toHaveLength(2);
  });
});
