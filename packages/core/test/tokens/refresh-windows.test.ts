/**
 * Refresh windows in proportion to the token, and widened to how long attempts take, as a user
 * meets them: `clientCredentials` behind the generated IMS client, a loopback token endpoint and
 * API, one virtual clock for all three. A slow attempt is made by moving the clock between the
 * client handing its request to the fetcher and the API reading it (the API judges `exp` by the
 * same clock), so nothing here depends on how fast the machine runs. Background refreshes are
 * awaited through the token hooks before the clock moves again.
 */
import { describe, expect, it } from "vitest";
import { createImsApiClient } from "../../../ims-client/src/index.js";
import type { Fetcher, TokenRefreshEvent } from "../../src/index.js";
import { IMS_MACHINE_CLIENTS, imsMachineCredential, useLoopbackFixtures, type ApiServer, type AuthServer } from "../auth/support/servers.js";
import { eventLog, type EventLog } from "../support/events.js";
import { claimsOf } from "../support/jwt.js";

const f = useLoopbackFixtures();

interface Rig {
  readonly auth: AuthServer;
  readonly api: ApiServer;
  readonly client: ReturnType<typeof createImsApiClient>;
  readonly refreshed: EventLog<TokenRefreshEvent>;
  /** Per attempt: the life its token had left when the client handed the request to the fetcher, ms. */
  readonly leftAtHandOut: number[];
  /** How long the next attempts take from hand-out to the API reading them (virtual ms). */
  trip: number;
}

async function rig(lifetimeSeconds: number): Promise<Rig> {
  const auth = await f.auth({ clients: IMS_MACHINE_CLIENTS, lifetimeSeconds });
  const api = await f.api();
  const refreshed = eventLog<TokenRefreshEvent>();
  const credential = imsMachineCredential(auth.tokenUrl, f.clock, { hooks: { onTokenRefresh: refreshed.push } });
  const leftAtHandOut: number[] = [];
  const state = { trip: 0 };
  /** The attempt's trip: the clock moves by `trip` before the API reads the request. */
  const fetcher: Fetcher = async (url, init) => {
    const bearer = String(init.headers?.["authorization"] ?? "").slice("Bearer ".length);
    const exp = claimsOf(bearer)?.exp;
    if (typeof exp === "number") leftAtHandOut.push(exp * 1000 - f.clock.now());
    f.clock.advance(state.trip);
    return fetch(url, init as RequestInit);
  };
  const client = createImsApiClient({ baseUrl: api.url, auth: credential, fetcher, clock: { now: () => f.clock.now(), sleep: async () => true }, retry: false });
  return Object.defineProperties({ auth, api, client, refreshed, leftAtHandOut } as Rig, {
    trip: { get: () => state.trip, set: (ms: number) => void (state.trip = ms), enumerable: true },
  });
}

/** One call, then the refresh it started in the background (if any) is waited for. */
async function call(r: Rig) {
  const result = await r.client.GET("/v1/items");
  await r.refreshed.until(r.auth.requests.length);
  return result;
}

/**
 * Token requests per lifetime: each token's lifetime over how long it was used (until the next
 * one was obtained), summed over the tokens replaced, so the first token of the run does not
 * count as a whole extra request. (A JWT's whole-second `exp` makes a 5 s token live 4 to 5 s.)
 */
function perLifetime(events: readonly TokenRefreshEvent[]): number {
  const obtained = events.map((event) => event.expiresAt - event.lifetimeMs);
  const replaced = events.slice(0, -1);
  const lived = replaced.reduce((total, event) => total + event.lifetimeMs, 0);
  return lived / ((obtained.at(-1) ?? 0) - (obtained[0] ?? 0));
}

describe("refresh windows in proportion to the token's lifetime", () => {
  // The 1 h row keeps what 1 h tokens always had (5 min soft, 30 s hard); short tokens now refresh
  // in the same proportions instead of at half their lifetime (2 requests per lifetime).
  for (const lifetimeSeconds of [5, 60, 3600]) {
    it(`${lifetimeSeconds} s tokens, calls every 1/100 of the lifetime for 8 lifetimes: ≤ 1.1 token requests per lifetime, none sent expired`, async () => {
      const r = await rig(lifetimeSeconds);
      const lifetimeMs = lifetimeSeconds * 1000;
      const statuses: number[] = [];
      for (let step = 0; step < 800; step += 1) {
        statuses.push((await call(r)).response?.status ?? -1);
        f.clock.advance(lifetimeMs / 100);
      }
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(r.api.expired).toBe(0);
      expect(r.refreshed.events.slice(1).map((event) => event.reason)).toEqual(r.refreshed.events.slice(1).map(() => "refresh-ahead"));
      const figure = perLifetime(r.refreshed.events);
      console.info(`${lifetimeSeconds} s tokens: ${r.auth.requests.length} token requests over 8 lifetimes, ${figure.toFixed(3)} per lifetime`);
      expect(figure).toBeGreaterThanOrEqual(1);
      expect(figure).toBeLessThanOrEqual(1.1);
    });
  }

  it("the hard window is in proportion too: a 600 s token is served until 5 s before expiry (1/120), then callers wait", async () => {
    const r = await rig(600);
    await call(r);
    f.clock.advance(600_000 - 50_000 - 1); // just before the soft window (1/12: 50 s)
    await call(r);
    expect(r.auth.requests).toHaveLength(1);
    f.clock.advance(1); // soft window: served, refreshed in the background
    await call(r);
    expect(r.refreshed.events.map((event) => event.reason)).toEqual(["initial", "refresh-ahead"]);
    f.clock.advance(600_000 - 5_000 + 1); // the second token's hard window: this caller waits for the refresh
    const release = r.auth.hold();
    const waiting = r.client.GET("/v1/items");
    await r.auth.until(3);
    expect(r.api.requests).toHaveLength(3); // the waiting call has not been sent
    release();
    expect((await waiting).response?.status).toBe(200);
    expect(r.refreshed.events.map((event) => event.reason)).toEqual(["initial", "refresh-ahead", "expiring"]);
    expect(r.api.requests[3]?.token).not.toBe(r.api.requests[2]?.token);
  });
});

describe("refresh windows that learn how long attempts take", () => {
  it("attempts taking 1 s with 60 s tokens: once learnt, no token is handed out with less life than that, none arrives expired, and tokens are still requested about once per lifetime", async () => {
    const r = await rig(60);
    r.trip = 1_000;
    const statuses: number[] = [];
    for (let step = 0; step < 400; step += 1) {
      statuses.push((await call(r)).response?.status ?? -1);
      f.clock.advance(200);
    }
    // The first attempt teaches the trip. The hard window of a 60 s token alone (1/120: 500 ms)
    // would hand out tokens with 500 ms left; it widened to the 1 s the attempts take.
    expect(Math.min(...r.leftAtHandOut)).toBeGreaterThan(1_000);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(r.api.expired).toBe(0);
    const figure = perLifetime(r.refreshed.events);
    console.info(`60 s tokens, 1 s attempts: ${r.auth.requests.length} token requests, ${figure.toFixed(3)} per lifetime`);
    expect(figure).toBeLessThanOrEqual(1.1);
  });

  it("attempts taking 1 s with 5 s tokens: still about one token per lifetime; a call whose token expired on the way is replayed once with a fresh token, and none fails", async () => {
    const r = await rig(5);
    r.trip = 1_000;
    const attempts: number[] = [];
    const statuses: number[] = [];
    for (let step = 0; step < 60; step += 1) {
      const { response, meta } = await call(r);
      statuses.push(response?.status ?? -1);
      attempts.push(meta.attempts);
      f.clock.advance(100);
    }
    // The windows widen no further than 1/12 (soft) and 1/24 (hard) of the lifetime: tokens are
    // handed out with as little as 208 ms left (by `expires_in`; the JWT's whole-second `exp` may
    // say less), never expired, so some expire on the way...
    expect(Math.min(...r.leftAtHandOut)).toBeGreaterThan(0);
    expect(r.api.expired).toBeGreaterThan(0);
    // ...and each of those calls was replayed once, with a fresh token, and succeeded.
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(attempts.filter((count) => count === 2)).toHaveLength(r.api.expired);
    expect(Math.max(...attempts)).toBe(2);
    const figure = perLifetime(r.refreshed.events);
    console.info(`5 s tokens, 1 s attempts: ${r.auth.requests.length} token requests, ${r.api.expired} replays, ${figure.toFixed(3)} per lifetime`);
    expect(figure).toBeLessThanOrEqual(1.1);
  });

  it("a long-lived token's windows widen to slow attempts up to 1/12 of its lifetime, and shrink back when attempts are quick again", async () => {
    const r = await rig(7_200); // 2 h: windows of 5 min and 30 s (the caps), 1/12 of it is 10 min
    const start = f.clock.now();
    r.trip = 400_000;
    await call(r); // learnt: soft window 800 s, capped at 600 s (1/12); hard 400 s, capped at 300 s (1/24)
    r.trip = 0;
    f.clock.set(start + 7_200_000 - 600_000 - 1_000); // 601 s before the first token's expiry
    await call(r);
    expect(r.auth.requests).toHaveLength(1);
    f.clock.advance(2_000); // 599 s before expiry: in the widened soft window
    await call(r);
    expect(r.refreshed.events.map((event) => event.reason)).toEqual(["initial", "refresh-ahead"]);
    for (let step = 0; step < 100; step += 1) await call(r); // quick attempts: the estimate decays
    const second = r.refreshed.events[1]!;
    f.clock.set(second.expiresAt - 300_000 - 100); // before the second token's own soft window (5 min)
    await call(r);
    expect(r.auth.requests).toHaveLength(2);
    f.clock.advance(200);
    await call(r);
    expect(r.auth.requests).toHaveLength(3);
  });

  it("attempts taking longer than the token lives: every call ends (no hang, no loop) with TOKEN_EXPIRED after one replay, saying why", async () => {
    const r = await rig(5);
    r.trip = 8_000;
    for (let i = 0; i < 3; i += 1) {
      const before = r.auth.requests.length;
      const { error, meta } = await call(r);
      expect(error?.code).toBe("TOKEN_EXPIRED");
      expect(meta.attempts).toBe(2);
      expect(error?.message).toContain("took 8000 ms from taking its token to the answer");
      expect(error?.message).toContain("live 5000 ms");
      // Each attempt had a fresh token: at most one token request per attempt.
      expect(r.auth.requests.length - before).toBeLessThanOrEqual(2);
    }
    // Every token handed out was freshly fetched (its whole 5 s left), none waited forever.
    expect(r.leftAtHandOut.every((left) => left === 5_000)).toBe(true);
  });
});
