/**
 * One user session held by several credentials (other tabs, other processes) that share a token
 * cache through `sessionKey`: every refresh presents the newest rotated refresh token any holder
 * stored, against a real token endpoint that rotates refresh tokens and refuses a reused one.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { exchangeAuthorizationCode, refreshTokenCredential } from "../../src/auth/authorization-code.js";
import type { AuthorizeContext } from "../../src/auth/credential.js";
import type { Clock } from "../../src/internal/clock.js";
import { createMemoryTokenCache } from "../../src/tokens/memory-token-cache.js";
import { createSigner, json, startAuthServer, startServer, type AuthServer, type Loopback, type Signer, useLoopbackFixtures } from "./support/servers.js";

const SECRET = "app-secret-0123456789";
const REDIRECT = "http://127.0.0.1/callback";
const ctx = (url: string): AuthorizeContext => ({ url, method: "GET", operation: "GET /x", scheme: "s", schemeDescriptor: { type: "oauth2" }, scopes: [] });

const fixtures = useLoopbackFixtures();

function movableClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** Signs a user in at the auth server (as a browser redirect would) and returns the raw refresh token. */
async function signIn(auth: AuthServer): Promise<string> {
  const code = auth.issueCode({ clientId: "app", redirectUri: REDIRECT });
  const response = await fetch(auth.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: "app", client_secret: SECRET }).toString(),
  });
  const body = (await response.json()) as { refresh_token: string };
  auth.requests.length = 0;
  return body.refresh_token;
}

const presented = (auth: AuthServer): unknown[] => auth.requests.map((request) => request.params.refresh_token);

describe("a session shared through sessionKey", () => {
  it("each holder refreshes with the newest rotated refresh token, whoever rotated it", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients: { app: { secret: SECRET } } });
    fixtures.open.push(auth);
    const refreshToken = await signIn(auth);
    const clock = movableClock();
    const cache = createMemoryTokenCache({ clock });
    const options = { tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: SECRET, refreshToken, sessionKey: "user-42", cache, clock };
    const tabA = refreshTokenCredential(options);
    const tabB = refreshTokenCredential(options); // restored with the same (soon rotated) refresh token

    await tabA.authorize(ctx(auth.url)); // rotates RT1 → RT2, stored in the shared entry
    await tabB.authorize(ctx(auth.url)); // adopts A's token: no request
    expect(auth.requests).toHaveLength(1);

    clock.advance(2 * 3600_000); // both access tokens expired; B refreshes first
    await expect(tabB.authorize(ctx(auth.url))).resolves.toMatchObject({ headers: { Authorization: expect.stringMatching(/^Bearer eyJ/) } });
    clock.advance(2 * 3600_000); // now A, whose own refresh token (RT2) was rotated by B
    await expect(tabA.authorize(ctx(auth.url))).resolves.toMatchObject({ headers: { Authorization: expect.stringMatching(/^Bearer eyJ/) } });

    const sent = presented(auth);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toBe(refreshToken);
    expect(new Set(sent).size).toBe(3); // never a rotated-out refresh token (no reuse)
    expect(tabA.refreshable && tabB.refreshable).toBe(true);
  });

  it("without a sessionKey each credential keeps its own entry", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients: { app: { secret: SECRET } }, rotateRefreshTokens: false });
    fixtures.open.push(auth);
    const refreshToken = await signIn(auth);
    const cache = createMemoryTokenCache();
    const options = { tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: SECRET, refreshToken, cache };
    await refreshTokenCredential(options).authorize(ctx(auth.url));
    await refreshTokenCredential(options).authorize(ctx(auth.url));
    expect(auth.requests).toHaveLength(2);
  });

  it("a shared entry left by an ended session does not end a new one: its refused refresh token is skipped", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients: { app: { secret: SECRET } } });
    fixtures.open.push(auth);
    const clock = movableClock();
    const cache = createMemoryTokenCache({ clock });
    const base = { tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: SECRET, sessionKey: "user-42", cache, clock };
    await refreshTokenCredential({ ...base, refreshToken: await signIn(auth) }).authorize(ctx(auth.url));
    auth.revokeRefreshTokens(); // that session ended server-side; its entry stays in the cache

    const fresh = await signIn(auth);
    const again = refreshTokenCredential({ ...base, refreshToken: fresh });
    clock.advance(2 * 3600_000);
    await expect(again.authorize(ctx(auth.url))).resolves.toMatchObject({ headers: { Authorization: expect.stringMatching(/^Bearer /) } });
    const sent = presented(auth);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(fresh);
  });

  it("validates sessionKey", () => {
    expect(() => refreshTokenCredential({ tokenUrl: "https://auth.test/token", clientId: "app", refreshToken: "rt_0123456789", sessionKey: "" })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining('"sessionKey"') }),
    );
  });
});

describe("exchangeAuthorizationCode: id_token", () => {
  it("is returned on the credential, and never enumerated or serialized", async () => {
    const idToken = await fixtures.signer.sign({ sub: "user-42", aud: "app", nonce: "n-0123456789" }, 300);
    const accessToken = await fixtures.signer.sign({ sub: "user-42" }, 300);
    const server = await startServer((_req, res) => json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 300, refresh_token: "rt_0123456789abcdef", id_token: idToken }));
    fixtures.open.push(server);
    const exchange = { tokenUrl: `${server.url}/token`, clientId: "app", redirectUri: REDIRECT, state: "s-1", expectedState: "s-1" };
    const credential = await exchangeAuthorizationCode({ ...exchange, code: "code-1" });
    expect(credential.idToken).toBe(idToken);
    expect(Object.keys(credential)).not.toContain("idToken");
    expect(JSON.stringify(credential)).not.toContain(idToken);
    expect(String(credential)).not.toContain(idToken);

    const plain = await startServer((_req, res) => json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 300 }));
    fixtures.open.push(plain);
    expect((await exchangeAuthorizationCode({ ...exchange, tokenUrl: `${plain.url}/token`, code: "code-2" })).idToken).toBeUndefined();
  });
});
