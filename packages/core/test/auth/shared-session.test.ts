/**
 * One user session held by several clients (other tabs, other processes) whose credentials share a
 * token cache through `sessionKey`: every refresh presents the newest rotated refresh token any
 * holder stored, against a real token endpoint that rotates refresh tokens and refuses a reused
 * one. Each holder is a `createClient` client; its calls drive the refreshes.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createMemoryTokenCache, exchangeAuthorizationCode, refreshTokenCredential, type RefreshTokenCredentialOptions } from "../../src/index.js";
import { arrotech, clientFor } from "../support/apis.js";
import { json } from "../support/loopback.js";
import { useLoopbackFixtures, type AuthServer } from "./support/servers.js";

const f = useLoopbackFixtures();

const SECRET = "app-secret-0123456789";
const REDIRECT = "http://127.0.0.1/callback";

/** Signs a user in at the auth server (as a browser redirect would) and returns the raw refresh token. */
async function signIn(auth: AuthServer): Promise<string> {
  const code = auth.issueCode({ clientId: "app", redirectUri: REDIRECT });
  const response = await fetch(auth.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: "app", client_secret: SECRET }).toString(),
  });
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

/** The refresh tokens presented to the token endpoint, in order. */
/** The `Date` header of a token endpoint on the test's clock. */
const dated = () => ({ date: new Date(f.clock.now()).toUTCString() });

const presented = (auth: AuthServer): unknown[] => auth.requests.filter((r) => r.params.grant_type === "refresh_token").map((r) => r.params.refresh_token);

describe("a session shared through sessionKey", () => {
  it("each holder refreshes with the newest rotated refresh token, whoever rotated it", async () => {
    const auth = await f.auth({ clients: { app: { secret: SECRET } } });
    const api = await f.api();
    const refreshToken = await signIn(auth);
    const cache = createMemoryTokenCache({ clock: f.clock });
    const options: RefreshTokenCredentialOptions = { tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: SECRET, refreshToken, sessionKey: "user-42", cache, clock: f.clock };
    const credentialA = refreshTokenCredential(options);
    const credentialB = refreshTokenCredential(options); // restored with the same (soon rotated) refresh token
    const tabA = clientFor(arrotech, { baseUrl: api.url, auth: credentialA });
    const tabB = clientFor(arrotech, { baseUrl: api.url, auth: credentialB });

    expect((await tabA.GET("/chat/providers")).data).toMatchObject({ via: "jwt" }); // rotates RT1 → RT2, stored in the shared entry
    expect((await tabB.GET("/chat/providers")).data).toMatchObject({ via: "jwt" }); // adopts A's token: no request
    expect(presented(auth)).toHaveLength(1);
    expect(api.requests[1]?.token).toBe(api.requests[0]?.token);

    f.clock.advance(2 * 3600_000); // both access tokens expired; B refreshes first
    expect((await tabB.GET("/chat/providers")).data).toMatchObject({ via: "jwt" });
    f.clock.advance(2 * 3600_000); // now A, whose own refresh token (RT2) was rotated by B
    expect((await tabA.GET("/chat/providers")).data).toMatchObject({ via: "jwt" });

    const sent = presented(auth);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toBe(refreshToken);
    expect(new Set(sent).size).toBe(3); // never a rotated-out refresh token (no reuse)
    expect(credentialA.refreshable && credentialB.refreshable).toBe(true);
    expect(api.expired).toBe(0);
  });

  it("without a sessionKey each credential keeps its own entry", async () => {
    const auth = await f.auth({ clients: { app: { secret: SECRET } }, rotateRefreshTokens: false });
    const api = await f.api();
    const refreshToken = await signIn(auth);
    const cache = createMemoryTokenCache({ clock: f.clock });
    const options = { tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: SECRET, refreshToken, cache, clock: f.clock };
    await clientFor(arrotech, { baseUrl: api.url, auth: refreshTokenCredential(options) }).GET("/chat/providers");
    await clientFor(arrotech, { baseUrl: api.url, auth: refreshTokenCredential(options) }).GET("/chat/providers");
    expect(presented(auth)).toHaveLength(2);
    expect(api.requests[1]?.token).not.toBe(api.requests[0]?.token);
  });

  it("a shared entry left by an ended session does not end a new one: its refused refresh token is skipped", async () => {
    const auth = await f.auth({ clients: { app: { secret: SECRET } } });
    const api = await f.api();
    const cache = createMemoryTokenCache({ clock: f.clock });
    const base = { tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: SECRET, sessionKey: "user-42", cache, clock: f.clock };
    await clientFor(arrotech, { baseUrl: api.url, auth: refreshTokenCredential({ ...base, refreshToken: await signIn(auth) }) }).GET("/chat/providers");
    auth.revokeRefreshTokens(); // that session ended server-side; its entry stays in the cache

    const fresh = await signIn(auth);
    const again = clientFor(arrotech, { baseUrl: api.url, auth: refreshTokenCredential({ ...base, refreshToken: fresh }) });
    f.clock.advance(2 * 3600_000);
    expect((await again.GET("/chat/providers")).data).toMatchObject({ via: "jwt" });
    const sent = presented(auth);
    expect(sent.at(-1)).toBe(fresh);
    expect(api.expired).toBe(0);
  });

  it("validates sessionKey", () => {
    expect(() => refreshTokenCredential({ tokenUrl: "https://auth.test/token", clientId: "app", refreshToken: "rt_0123456789", sessionKey: "" })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining('"sessionKey"') }),
    );
  });
});

describe("exchangeAuthorizationCode: id_token", () => {
  it("is returned on the credential, never sent to the API, never enumerated or serialized", async () => {
    const api = await f.api();
    const idToken = await f.signer.sign({ sub: "user-42", aud: "app", nonce: "n-0123456789" }, 300, f.clock.now());
    const accessToken = await f.signer.sign({ sub: "user-42" }, 300, f.clock.now());
    const server = await f.server((_req, res) =>
      json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 300, refresh_token: "rt_0123456789abcdef", id_token: idToken }, dated()),
    );
    const exchange = { tokenUrl: `${server.url}/token`, clientId: "app", redirectUri: REDIRECT, state: "s-1", expectedState: "s-1", clock: f.clock };
    const credential = await exchangeAuthorizationCode({ ...exchange, code: "code-1" });
    expect(credential.idToken).toBe(idToken);
    expect(Object.keys(credential)).not.toContain("idToken");
    expect(JSON.stringify(credential)).not.toContain(idToken);
    expect(String(credential)).not.toContain(idToken);
    const client = clientFor(arrotech, { baseUrl: api.url, auth: credential });
    expect((await client.GET("/chat/providers")).data).toMatchObject({ via: "jwt" });
    expect(api.requests[0]?.token).toBe(accessToken);
    expect(JSON.stringify(api.requests[0]?.headers)).not.toContain(idToken);
    expect(`${JSON.stringify(client)} ${inspect(client, { depth: 10 })}`).not.toContain(idToken);

    const plain = await f.server((_req, res) => json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 300 }, dated()));
    expect((await exchangeAuthorizationCode({ ...exchange, tokenUrl: `${plain.url}/token`, code: "code-2" })).idToken).toBeUndefined();
  });
});
