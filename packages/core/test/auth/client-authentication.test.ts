/**
 * How a client authenticates to the token endpoint (RFC 6749 §2.3.1): `client_secret_post` (id
 * and secret in the body, the default) or `client_secret_basic` (`Authorization: Basic
 * base64(urlencode(id):urlencode(secret))`, nothing secret in the body), for client credentials,
 * the authorization code exchange and refreshes. Every token request is made by a client call.
 */
import { describe, expect, it } from "vitest";
import { clientCredentials, exchangeAuthorizationCode, refreshTokenCredential } from "../../src/index.js";
import { arrotech, clientFor, ims } from "../support/apis.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();

// An id and a secret with the characters form-encoding changes: ":" (the separator), spaces, "@", "/", "+", "=".
const clientId = "svc:reporting agent";
const clientSecret = "p@ss: word/+=0123";
/** The header RFC 6749 §2.3.1 asks for, written out by hand: form-encode each, join with ":", base64. */
const expectedHeader = `Basic ${Buffer.from("svc%3Areporting+agent:p%40ss%3A+word%2F%2B%3D0123").toString("base64")}`;

describe("client_secret_basic", () => {
  it("client credentials: the auth server sees Basic base64(urlencode(id):urlencode(secret)) and no secret in the body", async () => {
    const auth = await f.auth({ clients: { [clientId]: { secret: clientSecret } }, authMethods: ["client_secret_basic"] });
    const api = await f.api();
    for (const bodyEncoding of ["form", "json"] as const) {
      const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId, clientSecret, scope: "catalog:read", bodyEncoding, clientAuthentication: "client_secret_basic", clock: f.clock });
      const { data, error } = await clientFor(ims, { baseUrl: api.url, auth: credential }).GET("/v1/items");
      expect(error).toBeUndefined();
      expect(data).toMatchObject({ via: "jwt" });
    }
    expect(auth.requests).toHaveLength(2);
    for (const request of auth.requests) {
      expect(request.method).toBe("client_secret_basic");
      expect(request.authorization).toBe(expectedHeader);
      expect(request.basic).toEqual({ clientId, clientSecret });
      expect(request.params).toEqual({ grant_type: "client_credentials", scope: "catalog:read" });
      expect(request.body).not.toContain("p@ss");
      expect(decodeURIComponent(request.body)).not.toContain(clientSecret);
    }
    expect(auth.requests.map((r) => r.contentType)).toEqual(["application/x-www-form-urlencoded", "application/json"]);
  });

  it("client_secret_post stays the default: id and secret in the body, no Authorization header", async () => {
    const auth = await f.auth({ clients: { [clientId]: { secret: clientSecret } } });
    const api = await f.api();
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId, clientSecret, clock: f.clock });
    expect((await clientFor(ims, { baseUrl: api.url, auth: credential }).GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    expect(auth.requests[0]).toMatchObject({ method: "client_secret_post", authorization: undefined, params: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret } });
  });

  it("a wrong secret sent with Basic and echoed by the server never reaches the error", async () => {
    const auth = await f.auth({ clients: { [clientId]: { secret: clientSecret } } });
    const api = await f.api();
    const wrong = "wrong-secret-0123456789";
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId, clientSecret: wrong, clientAuthentication: "client_secret_basic", clock: f.clock });
    const { error } = await clientFor(ims, { baseUrl: api.url, auth: credential }).GET("/v1/items");
    expect(error).toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_client" });
    expect(`${error?.message} ${JSON.stringify(error)}`).not.toContain(wrong);
    expect(api.requests).toHaveLength(0);
  });

  it("the authorization code exchange and every refresh authenticate with Basic too", async () => {
    const auth = await f.auth({ clients: { [clientId]: { secret: clientSecret } }, authMethods: ["client_secret_basic"], tokenPath: "/auth/token", lifetimeSeconds: 600 });
    const api = await f.api();
    const redirectUri = "http://127.0.0.1/callback";
    const code = auth.issueCode({ clientId, redirectUri, scope: "data:read" });
    const credential = await exchangeAuthorizationCode({
      tokenUrl: auth.tokenUrl,
      clientId,
      clientSecret,
      clientAuthentication: "client_secret_basic",
      code,
      redirectUri,
      state: "state-0123",
      expectedState: "state-0123",
      clock: f.clock,
    });
    const client = clientFor(arrotech, { baseUrl: api.url, auth: credential });
    expect((await client.GET("/chat/providers")).data).toMatchObject({ via: "jwt" });
    f.clock.advance(600_000); // the access token has expired: the next call refreshes first
    expect((await client.GET("/chat/providers")).data).toMatchObject({ via: "jwt" });

    expect(auth.requests.map((r) => r.params.grant_type)).toEqual(["authorization_code", "refresh_token"]);
    for (const request of auth.requests) {
      expect(request.authorization).toBe(expectedHeader);
      expect(request.params).not.toHaveProperty("client_secret");
      expect(request.body).not.toContain("p%40ss");
    }
    expect(auth.requests[0]?.params).toMatchObject({ code, redirect_uri: redirectUri });
    expect(api.expired).toBe(0);
  });

  it("a restored session (refreshTokenCredential) refreshes with Basic", async () => {
    const auth = await f.auth({ clients: { [clientId]: { secret: clientSecret } }, authMethods: ["client_secret_basic"], tokenPath: "/auth/token" });
    const api = await f.api();
    const redirectUri = "http://127.0.0.1/callback";
    // A sign-in done elsewhere (the browser side), whose refresh token the app stored.
    const signIn = await fetch(auth.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: expectedHeader },
      body: new URLSearchParams({ grant_type: "authorization_code", code: auth.issueCode({ clientId, redirectUri }), redirect_uri: redirectUri }).toString(),
    });
    const { refresh_token: refreshToken } = (await signIn.json()) as { refresh_token: string };
    const restored = refreshTokenCredential({ tokenUrl: auth.tokenUrl, clientId, clientSecret, clientAuthentication: "client_secret_basic", refreshToken, clock: f.clock });
    expect((await clientFor(arrotech, { baseUrl: api.url, auth: restored }).GET("/chat/providers")).data).toMatchObject({ via: "jwt" });
    const refresh = auth.requests.at(-1);
    expect(refresh).toMatchObject({ method: "client_secret_basic", authorization: expectedHeader, params: { grant_type: "refresh_token", refresh_token: refreshToken } });
    expect(refresh?.params).not.toHaveProperty("client_secret");
  });

  it("an unknown client authentication method is refused when the credential is built", () => {
    const options = { tokenUrl: "https://auth.example.com/token", clientId, clientSecret, clientAuthentication: "private_key_jwt" as "client_secret_basic" };
    expect(() => clientCredentials(options)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining("clientAuthentication") }));
    expect(() => refreshTokenCredential({ ...options, refreshToken: "rt_0123456789" })).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
  });
});
