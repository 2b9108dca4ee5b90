/**
 * Issue 12, tokens: a token already expired is never sent, no lifetime is endless, and a token
 * request nobody waits for any more is cancelled (its socket closed), while one somebody still
 * waits for, or a background refresh, goes on. Clocks are injected; waits are on requests and
 * socket events, never on time.
 */
import { describe, expect, test } from "vitest";
import { clientCredentials, tokenProvider, type ClientCredentialsOptions, type Credential } from "../../src/index.js";
import { clientFor, plain, PRODUCTION } from "../support/apis.js";
import { movableClock, START } from "../support/clock.js";
import { unsignedJwt } from "../support/jwt.js";
import { closed, forwardTo, json, useLoopbacks, type Loopback } from "../support/loopback.js";

const { server } = useLoopbacks();

/** An API that answers 200 to any call, recording the bearer token each carried. */
async function bearerApi(): Promise<Loopback> {
  return server((_req, res) => json(res, 200, { ok: true }));
}

const sentTokens = (api: Loopback): string[] => api.requests.map((r) => String(r.headers.authorization ?? ""));

function credentialOptions(auth: Loopback, extra: Partial<ClientCredentialsOptions> = {}): ClientCredentialsOptions {
  return { tokenUrl: `${auth.url}/oauth/token`, clientId: "shop-client", clientSecret: "cs_live_0123456789abcdef", ...extra };
}

describe("expired tokens are never sent", () => {
  test("a JWT whose exp is past, with the server's Date agreeing, is never sent (though expires_in says an hour)", async () => {
    const clock = movableClock();
    const expired = unsignedJwt({ sub: "shop-client", iat: START / 1000 - 3600, exp: START / 1000 - 60 });
    const auth = await server((_req, res) => json(res, 200, { access_token: expired, token_type: "Bearer", expires_in: 3600 }, { date: new Date(clock.now()).toUTCString() }));
    const api = await bearerApi();
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: clientCredentials(credentialOptions(auth, { clock })), fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("TOKEN_RESPONSE_INVALID");
    expect(error?.details["field"]).toBe("exp");
    expect(sentTokens(api)).toEqual([]);
  });

  test("a token whose expires_in is below a millisecond is never handed out", async () => {
    const clock = movableClock();
    const auth = await server((_req, res) => json(res, 200, { access_token: "opaque-token-0123456789", token_type: "Bearer", expires_in: 0.0001 }));
    const api = await bearerApi();
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: clientCredentials(credentialOptions(auth, { clock })), fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("TOKEN_RESPONSE_INVALID");
    expect(sentTokens(api)).toEqual([]);
  });

  test("a token provider's token that expired by the time it arrives is never sent", async () => {
    const clock = movableClock();
    const api = await bearerApi();
    const provider = tokenProvider(() => ({ accessToken: "provided-token-0123456789", expiresAt: new Date(clock.now() - 1000) }), { clock });
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: provider, fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("TOKEN_RESPONSE_INVALID");
    expect(sentTokens(api)).toEqual([]);
  });
});

describe("no lifetime is endless", () => {
  test("an expires_in of 400 digits is refused as invalid, never an infinite lifetime", async () => {
    const clock = movableClock();
    const auth = await server((_req, res) => {
      const body = `{"access_token":"opaque-token-0123456789","token_type":"Bearer","expires_in":${"9".repeat(400)}}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
    const api = await bearerApi();
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: clientCredentials(credentialOptions(auth, { clock })), fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("TOKEN_RESPONSE_INVALID");
    expect(error?.details["field"]).toBe("expires_in");
    expect(sentTokens(api)).toEqual([]);
  });

  test("an expires_in of 400 digits as a string is refused the same way", async () => {
    const auth = await server((_req, res) => json(res, 200, { access_token: "opaque-token-0123456789", token_type: "Bearer", expires_in: "9".repeat(400) }));
    const api = await bearerApi();
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: clientCredentials(credentialOptions(auth, { clock: movableClock() })), fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("TOKEN_RESPONSE_INVALID");
    expect(sentTokens(api)).toEqual([]);
  });
});

describe("a token request nobody waits for is cancelled", () => {
  test("a token request abandoned by its only caller is aborted: the token endpoint sees its connection close", async () => {
    // The token endpoint never answers; only the client can end the request. (A long request
    // timeout, so nothing but the abandonment could close it.)
    const auth = await server(() => undefined);
    const api = await bearerApi();
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: clientCredentials(credentialOptions(auth, { timeoutMs: 600_000 })), fetcher: forwardTo(api) });
    const controller = new AbortController();

    const call = client.GET("/v1/items", { signal: controller.signal });
    const request = await auth.until(1);
    controller.abort();

    expect((await call).error?.code).toBe("ABORTED");
    await closed(request.socket); // the socket of the token request is closed: nothing keeps the process alive
    expect(api.requests).toHaveLength(0);
  });

  test("a token request two callers wait for goes on when one aborts, and the other gets its token", async () => {
    let answer: (() => void) | undefined;
    const auth = await server(
      (_req, res) =>
        new Promise<void>((resolve) => {
          answer = () => {
            json(res, 200, { access_token: "opaque-token-0123456789", token_type: "Bearer", expires_in: 3600 });
            resolve();
          };
        }),
    );
    const api = await bearerApi();
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: clientCredentials(credentialOptions(auth, { timeoutMs: 600_000 })), fetcher: forwardTo(api) });
    const leaving = new AbortController();

    const first = client.GET("/v1/items", { signal: leaving.signal });
    const second = client.GET("/v1/items");
    await auth.until(1);
    leaving.abort();
    expect((await first).error?.code).toBe("ABORTED");
    answer?.();

    expect((await second).data).toEqual({ ok: true });
    expect(auth.requests).toHaveLength(1);
    expect(sentTokens(api)).toEqual(["Bearer opaque-token-0123456789"]);
  });

  test("a background refresh ahead of expiry goes on when a caller that joined it in the hard window aborts", async () => {
    const clock = movableClock();
    const tokens = ["first-token-0123456789", "second-token-0123456789"];
    let answerRefresh: (() => void) | undefined;
    const auth = await server((_req, res) => {
      const token = tokens.shift();
      const send = (): void => json(res, 200, { access_token: token, token_type: "Bearer", expires_in: 3600 });
      if (token === "first-token-0123456789") send();
      else answerRefresh = send;
    });
    const api = await bearerApi();
    let adopted!: () => void;
    const secondAdopted = new Promise<void>((resolve) => (adopted = resolve));
    const reasons: string[] = [];
    const onTokenRefresh = (event: { reason: string }): void => {
      reasons.push(event.reason);
      if (reasons.length === 2) adopted();
    };
    const credential = clientCredentials(credentialOptions(auth, { clock, timeoutMs: 600_000, hooks: { onTokenRefresh } }));
    // Tells when a call has asked the credential for its token (and so waits for the refresh).
    let asked: (() => void) | undefined;
    const observed: Credential<"bearer"> = {
      kind: "bearer",
      get fingerprint() {
        return credential.fingerprint;
      },
      authorize(context) {
        const authorization = credential.authorize(context);
        asked?.();
        return authorization;
      },
      invalidate: (handle) => credential.invalidate?.(handle) ?? false,
      toJSON: () => credential.toJSON(),
    };
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: observed, fetcher: forwardTo(api) });

    expect((await client.GET("/v1/items")).data).toEqual({ ok: true });
    clock.advance(3600_000 - 240_000); // soft window: the token is served, a refresh starts in the background
    expect((await client.GET("/v1/items")).data).toEqual({ ok: true });
    const refresh = await auth.until(2);
    clock.advance(230_000); // hard window: a caller now waits for that refresh...
    const controller = new AbortController();
    const joined = new Promise<void>((resolve) => (asked = resolve));
    const waiting = client.GET("/v1/items", { signal: controller.signal });
    await joined;
    controller.abort(); // ...and leaves: the background refresh was nobody's to cancel
    expect((await waiting).error?.code).toBe("ABORTED");
    expect(refresh.socket.destroyed).toBe(false);
    answerRefresh?.();
    await secondAdopted;

    expect((await client.GET("/v1/items")).data).toEqual({ ok: true });
    expect(reasons).toEqual(["initial", "refresh-ahead"]);
    expect(auth.requests).toHaveLength(2);
    expect(sentTokens(api)).toEqual(["Bearer first-token-0123456789", "Bearer first-token-0123456789", "Bearer second-token-0123456789"]);
  });
});

describe("a token endpoint that answers with the token already held", () => {
  test("is asked again once per backoff step in the refresh window, not on every call", async () => {
    const clock = movableClock();
    // An identity provider that serves its cached token: the same token, with what is left of its 600 s.
    const token = "cached-opaque-token-0123456789";
    const expiresAt = START + 600_000;
    const auth = await server((_req, res) => json(res, 200, { access_token: token, token_type: "Bearer", expires_in: (expiresAt - clock.now()) / 1000 }));
    const api = await bearerApi();
    const client = clientFor(plain, {
      baseUrl: PRODUCTION,
      // No soft window: in the hard window (the last 1/120 of 600 s: 5 s) callers wait for the refresh.
      auth: clientCredentials(credentialOptions(auth, { clock, refreshAhead: false, retryInitialMs: 1_000 })),
      fetcher: forwardTo(api),
    });
    expect((await client.GET("/v1/items")).error).toBeUndefined();
    expect(auth.requests).toHaveLength(1);

    clock.advance(595_500);
    for (let i = 0; i < 20; i++) expect((await client.GET("/v1/items")).error).toBeUndefined();
    expect(auth.requests).toHaveLength(2);

    // One backoff step later it is asked once more.
    clock.advance(1_000);
    expect((await client.GET("/v1/items")).error).toBeUndefined();
    expect(auth.requests).toHaveLength(3);
    expect(new Set(sentTokens(api))).toEqual(new Set([`Bearer ${token}`]));
  });
});
