/**
 * A credential talks to its token endpoint through a module core loads with the first token
 * request (`tokens/token-exchange`: the grant's request, its POST, the reading of the answer; a
 * chunk of its own in the built package and in an app's bundle). When that chunk cannot be loaded
 * (an app redeployed under an open page, a page gone offline), a token request fails the way one
 * that got no answer does: `TOKEN_REFRESH_FAILED`, reported to the call and to `onTokenError`,
 * with a message that says what happened and how to fix it, nothing sent, no secret in it. The
 * next token request, once the chunk is served again, goes through.
 *
 * The chunk is really missing here: the test copies the built package (`dist/`, ESM and CJS, as
 * published) and deletes the token endpoint client's chunks from the copy, then uses the copy's
 * public factories against a token endpoint and an API on loopback.
 */
import { describe, expect, test } from "vitest";
import type { Credential, TokenErrorEvent } from "../../src/index.js";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";
import { useBuildsWithoutChunk } from "../support/build-without-chunk.js";
import { json, useLoopbacks } from "../support/loopback.js";

const loopbacks = useLoopbacks();
const copy = useBuildsWithoutChunk("token-exchange");

const CLIENT_SECRET = "cs_live_0123456789abcdef";
const REFRESH_TOKEN = "rt_live_0123456789abcdef";
const CODE = "code_0123456789abcdef";
const VERIFIER = "verifier-0123456789abcdef-0123456789abcdef";

const MISSING =
  /^The token request was not sent: portico's token endpoint client, a module loaded with the first token request, could not be loaded\. Reload the page or restart the app, and check that it serves all of its JavaScript chunks: a deployment that replaced them while the app was running is the usual cause\.$/;

describe.each(["ESM", "CJS"] as const)("token requests when the token endpoint client cannot be loaded (%s build)", (build) => {
  test("client credentials, refresh token and code exchange fail with TOKEN_REFRESH_FAILED saying so, nothing sent; they go through once the chunk is back", async () => {
    const core = copy.core(build);
    const auth = await loopbacks.server((_req, res, body) => {
      const grant = new URLSearchParams(body).get("grant_type");
      json(res, 200, { access_token: `at-${grant}-0123456789`, token_type: "Bearer", expires_in: 3600, ...(grant === "client_credentials" ? {} : { refresh_token: "rt_rotated_0123456789" }) });
    });
    const api = await loopbacks.server((_req, res) => json(res, 200, { ok: true }));
    const tokenUrl = `${auth.url}/oauth/token`;
    const tokenErrors: TokenErrorEvent[] = [];
    const hooks = { onTokenError: (event: TokenErrorEvent) => tokenErrors.push(event) };
    const machine = core.clientCredentials({ tokenUrl, clientId: "shop-client", clientSecret: CLIENT_SECRET, hooks });
    const session = core.refreshTokenCredential({ tokenUrl, clientId: "spa", refreshToken: REFRESH_TOKEN, hooks });
    const clientOf = (credential: Credential<"bearer">) => core.createClient<paths>(descriptor, { baseUrl: api.url, auth: credential, retry: false }, core.allStages);
    const exchange = () =>
      core.exchangeAuthorizationCode({ tokenUrl, clientId: "spa", code: CODE, codeVerifier: VERIFIER, redirectUri: "http://127.0.0.1/callback", state: "st-1", expectedState: "st-1" });

    const failures = [(await clientOf(machine).GET("/v1/items")).error, (await clientOf(session).GET("/v1/items")).error, await exchange().catch((error: unknown) => error)];
    for (const error of failures) {
      expect(core.isPorticoError(error)).toBe(true);
      expect(error).toBeInstanceOf(core.PorticoError);
      expect(error).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });
      expect((error as Error).message).toMatch(MISSING);
      // What the loader threw is kept as the cause, redacted like any foreign error.
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect(((error as Error).cause as Error).message).toMatch(/^Cannot find module /);
      for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, CODE, VERIFIER]) expect(JSON.stringify(error) + String(error)).not.toContain(secret);
    }
    // Reported to the credential's hooks as a failed token request of its first token.
    expect(tokenErrors.map((event) => [event.credential, event.error, event.reason])).toEqual([
      ["oauth2:shop-client", failures[0], "initial"],
      ["oauth2-user:spa", failures[1], "initial"],
    ]);
    expect(auth.requests).toEqual([]);
    expect(api.requests).toEqual([]);

    // Once the chunk is served again, the same credentials get their tokens (the session with the
    // refresh token it was given: a request that was never sent spent nothing).
    copy.restore(build);
    expect((await clientOf(machine).GET("/v1/items")).error).toBeUndefined();
    expect((await clientOf(session).GET("/v1/items")).error).toBeUndefined();
    const signedIn = await exchange();
    expect(signedIn.refreshable).toBe(true);
    expect(auth.requests.map((r) => Object.fromEntries(new URLSearchParams(r.body)))).toEqual([
      { grant_type: "client_credentials", client_id: "shop-client", client_secret: CLIENT_SECRET },
      { grant_type: "refresh_token", refresh_token: REFRESH_TOKEN, client_id: "spa" },
      { grant_type: "authorization_code", code: CODE, redirect_uri: "http://127.0.0.1/callback", client_id: "spa", code_verifier: VERIFIER },
    ]);
    expect(api.requests.map((r) => r.headers.authorization)).toEqual(["Bearer at-client_credentials-0123456789", "Bearer at-refresh_token-0123456789"]);

    // The code above is the one a token request that gets no answer has: here, from an endpoint refusing connections.
    const gone = await loopbacks.server(() => undefined);
    await gone.close();
    const unreachable = core.clientCredentials({ tokenUrl: `${gone.url}/oauth/token`, clientId: "shop-client", clientSecret: CLIENT_SECRET });
    const refused = (await clientOf(unreachable).GET("/v1/items")).error;
    expect(refused?.code).toBe("TOKEN_REFRESH_FAILED");
    expect(refused?.message).toMatch(/^Token request to http:\/\/127\.0\.0\.1:\d+\/oauth\/token failed before a response arrived\.$/);
  });
});
