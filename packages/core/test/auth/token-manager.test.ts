/**
 * The token manager as a user meets it: through client calls. Time is an injected clock shared by
 * the credential, the token endpoint (which signs `iat`/`exp` and dates its answers by it) and the
 * API (which judges `exp` by it); concurrency is arranged by holding the token endpoint's answers,
 * and background work is awaited through the token hooks. Nothing waits on wall time.
 */
import { describe, expect, it } from "vitest";
import { type ClientCredentialsOptions, type TokenErrorEvent, type TokenRefreshEvent } from "../../src/index.js";
import { clientFor, ims } from "../support/apis.js";
import { START } from "../support/clock.js";
import { eventLog } from "../support/events.js";
import { claimsOf } from "../support/jwt.js";
import { json } from "../support/loopback.js";
import { IMS_MACHINE_CLIENTS as clients, imsMachineCredential, useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();

const credential = (tokenUrl: string, options: Partial<ClientCredentialsOptions> = {}) => imsMachineCredential(tokenUrl, f.clock, options);

async function setup(lifetimeSeconds: number, options: Partial<ClientCredentialsOptions> = {}) {
  const auth = await f.auth({ clients, lifetimeSeconds });
  const api = await f.api();
  // The client's clock is the credential's: attempts take no time on it, so the windows are the token's own.
  const client = clientFor(ims, { baseUrl: api.url, auth: credential(auth.tokenUrl, options), clock: f.clock });
  /** The bearer tokens the API received, in order. */
  const tokens = () => api.requests.map((r) => r.token);
  return { auth, api, client, tokens };
}

describe("token expiry", () => {
  it("a 5 s JWT whose expires_in rounds up to 6 is sent until its exp, never beyond", async () => {
    const auth = await f.auth({ clients, lifetimeSeconds: 5, expiresInOverride: 6 });
    const api = await f.api();
    const refreshed = eventLog<TokenRefreshEvent>();
    const client = clientFor(ims, { baseUrl: api.url, auth: credential(auth.tokenUrl, { refreshAhead: false, hooks: { onTokenRefresh: refreshed.push } }) });
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    const first = api.requests[0]?.token ?? "";
    expect(claimsOf(first)?.exp).toBe(START / 1000 + 5);
    expect(refreshed.events[0]?.expiresAt).toBe(START + 5_000);

    f.clock.set(START + 4_400); // still fresh
    await client.GET("/v1/items");
    f.clock.set(START + 5_200); // past exp, before what expires_in said
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    expect(api.requests.map((r) => r.token === first)).toEqual([true, true, false]);
    expect(auth.requests).toHaveLength(2);
    expect(api.expired).toBe(0);
  });

  it("a token already expired when it arrives (the server's Date agrees) is never sent", async () => {
    const api = await f.api();
    const expired = await f.signer.sign({ sub: "cli-ims" }, -60, f.clock.now());
    const endpoint = await f.server((_req, res) =>
      json(res, 200, { access_token: expired, token_type: "Bearer", expires_in: 3600 }, { date: new Date(f.clock.now()).toUTCString() }),
    );
    const result = await clientFor(ims, { baseUrl: api.url, auth: credential(`${endpoint.url}/oauth/token`) }).GET("/v1/items");
    expect(api.requests.map((r) => r.token)).not.toContain(expired);
    expect(result.error).toMatchObject({ code: "TOKEN_RESPONSE_INVALID", details: { field: "exp" } });
  });
});

describe("one refresh per token", () => {
  it("500 concurrent calls on a cold token make exactly one token request", async () => {
    const { auth, api, client, tokens } = await setup(3600);
    const release = auth.hold();
    const calls = Promise.all(Array.from({ length: 500 }, () => client.GET("/v1/items")));
    await auth.until(1); // every call is waiting for the one token request now
    release();
    const results = await calls;
    expect(results.filter((r) => r.data?.via === "jwt")).toHaveLength(500);
    expect(auth.requests).toHaveLength(1);
    expect(api.requests).toHaveLength(500);
    expect(new Set(tokens()).size).toBe(1);
  });

  it("500 concurrent calls in the hard window, and again once expired, wait for one request each", async () => {
    const { auth, api, client, tokens } = await setup(600);
    await client.GET("/v1/items");
    const first = tokens()[0];
    // 3 s before expiry: inside the hard window (min(30 s, 1/120 of 600 s) = 5 s), callers wait.
    for (const [at, requests] of [
      [START + 597_000, 2],
      [START + 597_000 + 700_000, 3], // past the expiry of the second token
    ] as const) {
      f.clock.set(at);
      const before = api.requests.length;
      const release = auth.hold();
      const calls = Promise.all(Array.from({ length: 500 }, () => client.GET("/v1/items")));
      await auth.until(requests);
      release();
      expect((await calls).every((r) => r.data?.via === "jwt")).toBe(true);
      expect(auth.requests).toHaveLength(requests);
      const sent = new Set(tokens().slice(before));
      expect(sent.size).toBe(1);
      expect(sent.has(first)).toBe(false);
    }
    expect(api.expired).toBe(0);
  });

  it("in the soft window the current token is sent at once and a new one is fetched in the background", async () => {
    const refreshed = eventLog<TokenRefreshEvent>();
    const { auth, client, tokens } = await setup(600, { hooks: { onTokenRefresh: refreshed.push } });
    await client.GET("/v1/items");
    f.clock.advance(560_000); // soft window: the last min(5 min, 1/12 of the lifetime) = 50 s, before the hard window's 5 s
    const release = auth.hold();
    // Answered while the token request is held: it did not wait for it.
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    await auth.until(2);
    release();
    await refreshed.until(2);
    expect(refreshed.events[1]?.reason).toBe("refresh-ahead");
    await client.GET("/v1/items");
    const [first, during, after] = tokens();
    expect(during).toBe(first);
    expect(after).not.toBe(first);
    expect(auth.requests).toHaveLength(2);
  });

  it("with a 4 s token lifetime and refresh-ahead on, no request over 20 s carries an expired token", async () => {
    const { auth, api, client } = await setup(4);
    const statuses: number[] = [];
    for (let step = 0; step < 80; step += 1) {
      const results = await Promise.all(Array.from({ length: 8 }, () => client.GET("/v1/items")));
      statuses.push(...results.map((r) => r.meta.status ?? -1));
      f.clock.advance(250);
    }
    expect(statuses).toHaveLength(640);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(api.expired).toBe(0);
    // Refreshed in the last 1/12 of each token's life, at the next 250 ms step: at 3.75 s, then every
    // 3 s (a JWT's whole-second exp leaves a token obtained at x.75 s 3.25 s of life). At half the
    // lifetime, as before, it would be about 10; per call, 640.
    expect(auth.requests.length).toBeGreaterThanOrEqual(5);
    expect(auth.requests.length).toBeLessThanOrEqual(7);
  });
});

describe("token endpoint failures", () => {
  it("an endpoint failing twice then recovering: calls made while the old token is valid all succeed", async () => {
    const errors = eventLog<TokenErrorEvent>();
    const refreshed = eventLog<TokenRefreshEvent>();
    const { auth, api, client, tokens } = await setup(60, { retryInitialMs: 200, hooks: { onTokenError: errors.push, onTokenRefresh: refreshed.push } });
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    auth.failNext(2);
    // Soft window from 55 s (1/12), hard window from 59.5 s (1/120): each step serves the old token
    // and tries again in the background once its backoff (at most 200 ms, then 400 ms) has passed.
    for (const [at, wait] of [
      [START + 55_200, () => errors.until(1)],
      [START + 55_700, () => errors.until(2)],
      [START + 56_200, () => refreshed.until(2)],
    ] as const) {
      f.clock.set(at);
      expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
      await wait();
    }
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    const sent = tokens();
    expect(sent.slice(0, 4).every((token) => token === sent[0])).toBe(true);
    expect(sent[4]).not.toBe(sent[0]);
    expect(api.expired).toBe(0);
    expect(errors.events.map((event) => [event.servingPrevious, event.background, event.error.code, event.error.status])).toEqual([
      [true, true, "TOKEN_REFRESH_FAILED", 500],
      [true, true, "TOKEN_REFRESH_FAILED", 500],
    ]);
    expect(auth.requests).toHaveLength(4); // initial, two failures, recovery
  });

  it("no valid token and a failing endpoint: every waiting call gets TOKEN_REFRESH_FAILED from one request; the next call recovers", async () => {
    const { auth, api, client } = await setup(3600);
    auth.failNext(1, 503);
    const release = auth.hold();
    const calls = Promise.all(Array.from({ length: 20 }, () => client.GET("/v1/items")));
    await auth.until(1);
    release();
    for (const { error } of await calls) {
      expect(error).toMatchObject({ code: "TOKEN_REFRESH_FAILED", status: 503 });
    }
    expect(auth.requests).toHaveLength(1);
    expect(api.requests).toHaveLength(0);
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
  });

  it("401 → refresh once → replay once; a second 401 is returned, never looped", async () => {
    const { auth, api, client, tokens } = await setup(3600);
    await client.GET("/v1/items");
    expect(auth.requests).toHaveLength(1);

    api.revoke(tokens()[0] ?? ""); // the server revoked the token
    const replayed = await client.GET("/v1/items");
    expect(replayed.data).toMatchObject({ via: "jwt" });
    expect(replayed.meta.attempts).toBe(2);
    expect(auth.requests).toHaveLength(2);

    const refused = await client.GET("/always-401");
    expect(refused.error?.status).toBe(401);
    expect(refused.meta.attempts).toBe(2);
    expect(auth.requests).toHaveLength(3);
  });

  it("50 concurrent 401s for the same revoked token trigger one refresh", async () => {
    const { auth, api, client, tokens } = await setup(3600);
    await client.GET("/v1/items");
    api.revoke(tokens()[0] ?? "");
    const results = await Promise.all(Array.from({ length: 50 }, () => client.GET("/v1/items")));
    expect(results.every((r) => r.data?.via === "jwt" && r.meta.attempts === 2)).toBe(true);
    expect(auth.requests).toHaveLength(2);
    expect(new Set(tokens().slice(1)).size).toBe(2); // the revoked one, then the one refresh
  });
});
