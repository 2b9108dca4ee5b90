/**
 * Entries holding a refresh token outlive their access token in Redis: holders of one user
 * session in different processes keep refreshing with the newest rotated refresh token after
 * every access token expired. Real `redis-server`, a loopback token endpoint that rotates
 * refresh tokens and refuses a spent one (`invalid_grant`), core's `refreshTokenCredential`.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AuthorizeContext, CachedToken } from "@portico/core";
import { createRedisTokenCache, refreshTokenCredential, type RedisTokenCache, type RedisTokenCacheOptions } from "../src/index.js";
import { readBody, startHttpServer, type LoopbackServer } from "./support/http-server.js";
import { PATIENT_REDIS, startRedis, type RedisServer } from "./support/redis.js";

const KEY = 'portico:token:v1:["authorization_code","https://auth.example/oauth/token","app","","","",[["session","user-42"]]]';
const DAY = 24 * 3_600_000;

let redisServer: RedisServer;
let raw: Redis;
const opened: RedisTokenCache[] = [];
const servers: LoopbackServer[] = [];

beforeAll(async () => {
  redisServer = await startRedis();
  raw = new Redis(redisServer.port, "127.0.0.1");
});
afterEach(async () => {
  await Promise.all([...opened.splice(0).map((cache) => cache.close()), ...servers.splice(0).map((server) => server.close())]);
  if (raw.status === "ready") await raw.flushall();
});
afterAll(async () => {
  raw.disconnect();
  await redisServer.stop();
});

function cache(options: Partial<RedisTokenCacheOptions> = {}): RedisTokenCache {
  const created = createRedisTokenCache({ redis: { port: redisServer.port, host: "127.0.0.1", ...PATIENT_REDIS }, ...options });
  opened.push(created);
  return created;
}

/** Lifetime of the rotating endpoint's access tokens. */
const ACCESS_SECONDS = 3600;

const opaque = (prefix: string): string => `${prefix}_${randomBytes(12).toString("hex")}`;

function tokenFor(lifetimeMs: number, extra: Partial<CachedToken> = {}): CachedToken {
  const now = Date.now();
  return { accessToken: opaque("at"), obtainedAt: now, expiresAt: now + lifetimeMs, ...extra };
}

/** PTTL of the one token entry in Redis. */
async function entryTtl(): Promise<number> {
  const keys = await raw.keys("portico:*:token");
  expect(keys).toHaveLength(1);
  return raw.pttl(keys[0] as string);
}

/**
 * Stores `token` and reads back its entry's TTL, checked against the time that passed meanwhile
 * (however long that was on a busy machine): exactly `retainUntil - now` at the write, counted down since.
 */
async function expectRetainedUntil(store: RedisTokenCache, token: CachedToken, retainUntil: number): Promise<void> {
  const before = Date.now();
  await store.set(KEY, token);
  const ttl = await entryTtl();
  const after = Date.now();
  expect(ttl).toBeLessThanOrEqual(retainUntil - before);
  expect(ttl).toBeGreaterThanOrEqual(retainUntil - after - 1);
}

describe("Redis token cache: entries holding a refresh token", () => {
  it("are kept for 30 days by default past a short access token", async () => {
    const token = tokenFor(300, { refreshToken: opaque("rt") });
    await expectRetainedUntil(cache(), token, token.obtainedAt + 30 * DAY);
  });

  it("are kept for refreshTokenTtlMs, and returned expired (for their refresh token) once the access token is", async () => {
    // A 300 ms access token obtained 400 ms ago: already expired when it is stored.
    const now = Date.now();
    const token: CachedToken = { accessToken: opaque("at"), obtainedAt: now - 400, expiresAt: now - 100, refreshToken: "rt_b_0123456789" };
    await expectRetainedUntil(cache({ refreshTokenTtlMs: 60_000 }), token, token.obtainedAt + 60_000);
    const expired = await cache().get(KEY);
    expect(expired?.refreshToken).toBe("rt_b_0123456789");
    expect(expired!.expiresAt).toBeLessThanOrEqual(Date.now());
  });

  it("follow the refresh token's own stated expiry when the token response gave one", async () => {
    const now = Date.now();
    await expectRetainedUntil(cache(), tokenFor(300, { refreshToken: opaque("rt"), refreshExpiresAt: now + 120_000 }), now + 120_000);
  });

  it("are dropped like any token once the refresh token has expired too; tokens without one keep their access lifetime", async () => {
    const store = cache();
    await store.set(KEY, tokenFor(-1_000, { refreshToken: opaque("rt"), refreshExpiresAt: Date.now() - 1 }));
    expect(await raw.keys("portico:*")).toHaveLength(0);
    const live = tokenFor(600_000);
    await expectRetainedUntil(store, live, live.expiresAt);
  });

  it("rejects a refreshTokenTtlMs that is not a positive integer", () => {
    expect(() => createRedisTokenCache({ redis: { port: redisServer.port }, refreshTokenTtlMs: 0 })).toThrow(/refreshTokenTtlMs/);
    expect(() => createRedisTokenCache({ redis: { port: redisServer.port }, refreshTokenTtlMs: 1.5 })).toThrow(/refreshTokenTtlMs/);
  });
});

/**
 * A token endpoint for `grant_type=refresh_token`: 1 h access tokens, rotation, spent tokens
 * refused. Its `Date` header follows `clock`, the clock the test moves.
 */
async function startRotatingAuth(firstRefreshToken: string, clock: { now(): number }) {
  const live = new Set([firstRefreshToken]);
  const presented: string[] = [];
  const server = await startHttpServer(async (request, response) => {
    const params = new URLSearchParams(await readBody(request));
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", date: new Date(clock.now()).toUTCString() });
      response.end(JSON.stringify(body));
    };
    const refreshToken = params.get("refresh_token") ?? "";
    presented.push(refreshToken);
    if (params.get("grant_type") !== "refresh_token" || params.get("client_id") !== "app") return send(400, { error: "unsupported_grant_type" });
    if (!live.delete(refreshToken)) return send(400, { error: "invalid_grant", error_description: "refresh token spent or unknown" });
    const next = opaque("rt");
    live.add(next);
    send(200, { access_token: opaque("at"), token_type: "Bearer", expires_in: ACCESS_SECONDS, refresh_token: next });
  });
  servers.push(server);
  return { tokenUrl: `${server.url}/oauth/token`, presented };
}

const context: AuthorizeContext = {
  url: "https://api.example.test/v1/me",
  method: "GET",
  operation: "GET /v1/me",
  scheme: "oauth2",
  schemeDescriptor: { type: "oauth2", flows: { authorizationCode: { tokenUrl: "https://auth.example.test/oauth/token" } } },
  scopes: [],
};

describe("two processes sharing a user session through Redis", () => {
  it("after the access token expired, the second refreshes with the refresh token the first rotated and stored", async () => {
    const firstRefreshToken = opaque("rt");
    // The access tokens expire when the test moves this clock past their lifetime, not after a real wait.
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    const expire = (): void => void (offset += (ACCESS_SECONDS + 1) * 1000);
    const auth = await startRotatingAuth(firstRefreshToken, clock);
    // Two caches, two Redis connections: what two processes have. Both restored the same session.
    const session = { tokenUrl: auth.tokenUrl, clientId: "app", refreshToken: firstRefreshToken, sessionKey: "user-42", clock };
    const first = refreshTokenCredential({ ...session, cache: cache() });
    const second = refreshTokenCredential({ ...session, cache: cache() });

    await first.authorize(context); // presents the first refresh token; the server rotates it
    expect(auth.presented).toEqual([firstRefreshToken]);
    expect(await entryTtl()).toBeGreaterThan(29 * DAY); // one entry, kept far beyond the 1 h access token

    expire(); // the access token has expired
    const authorization = await second.authorize(context);
    expect(authorization.secret).toMatch(/^at_/);
    // The second process never presented the spent first token: it used the rotated one from Redis.
    expect(auth.presented).toHaveLength(2);
    expect(auth.presented[1]).not.toBe(firstRefreshToken);
    expect(second.refreshable).toBe(true);

    // And the first, whose own copy is now spent too, follows the second's rotation.
    expire();
    await expect(first.authorize(context)).resolves.toMatchObject({ secret: expect.stringMatching(/^at_/) });
    expect(auth.presented).toHaveLength(3);
    expect(new Set(auth.presented).size).toBe(3); // no refresh token presented twice
  });
});
