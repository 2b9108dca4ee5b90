import { randomBytes } from "node:crypto";
import type { CachedToken, TokenCache } from "@portico/core";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";
import { createKeyMutex } from "../internal/key-mutex.js";
import { createLocalTokenStore } from "../internal/local-token-store.js";
import { createRedisConnection, type RedisTarget } from "./redis-connection.js";
import { createRedisGuard, type RedisErrorEvent, type RedisFallbackEvent, type RedisStoreHooks } from "./redis-guard.js";
import { checkPrefix, positiveMs, taggedKey } from "./redis-keys.js";
import { acquireOrPeek, releaseIfOwner, storeIfLonger } from "./scripts.js";
import { createTokenCodec } from "./token-codec.js";
import { retainUntil } from "./token-retention.js";

export type { RedisErrorEvent, RedisFallbackEvent };

/**
 * Observability of the shared cache. Hooks never throw into a call; their errors are ignored.
 * `onFallback`'s operation is `get`, `set`, `delete`, `lock`, `wait` or `unlock`; `onRedisError`
 * also reports undecodable entries (`"decode"`).
 */
export type RedisTokenCacheHooks = RedisStoreHooks;

export interface RedisTokenCacheOptions {
  /**
   * Where Redis is: an ioredis `Redis` or `Cluster` client (used as is; see `SAFE_REDIS_OPTIONS`
   * and `SAFE_CLUSTER_OPTIONS`), `Redis` options (with `sentinels` and `name` for a
   * Sentinel-managed primary), `{ cluster: [start-up nodes], options? }` for a Redis Cluster, or a
   * `redis://` / `rediss://` URL.
   */
  redis: RedisTarget;
  /** Prefix of every Redis key; no `{` or `}` (the hash tag that keeps an entry in one Cluster slot follows it). @default "portico:" */
  prefix?: string;
  /** Refresh lock lifetime: how long a crashed holder can block the others. Keep it above a token request's duration. @default 10000 */
  lockTtlMs?: number;
  /** Longest wait for another process's refresh before refreshing without the lock. @default lockTtlMs + 5000 */
  waitTimeoutMs?: number;
  /** How often waiters look for the new token. @default 25 */
  pollIntervalMs?: number;
  /** 32-byte key (bytes, 64 hex characters or base64): tokens are stored AES-256-GCM encrypted. */
  encryptionKey?: Uint8Array | string;
  /**
   * How long an entry holding a refresh token is kept past its access token's expiry, counted
   * from when the token was obtained, when the token response did not state the refresh token's
   * own lifetime (`refreshExpiresAt`). Holders sharing a user session (same `sessionKey`) refresh
   * with the newest rotated refresh token stored here, even after every access token expired.
   * @default 2592000000 (30 days)
   */
  refreshTokenTtlMs?: number;
  hooks?: RedisTokenCacheHooks;
}

/** A `TokenCache` shared by every process that points at the same Redis. */
export interface RedisTokenCache extends TokenCache {
  get(key: string): Promise<CachedToken | undefined>;
  set(key: string, token: CachedToken): Promise<void>;
  delete(key: string): Promise<void>;
  withRefreshLock<T>(key: string, refresh: () => Promise<T>): Promise<T>;
  /** `"redis"` while Redis answers, `"fallback"` while this process runs on its own copy. */
  readonly mode: "redis" | "fallback";
  /** Disconnects the Redis client if the cache created it. */
  close(): Promise<void>;
}

/**
 * Creates a token cache in Redis shared by a fleet: tokens stored per cache key with a TTL equal
 * to their remaining lifetime, or for an entry holding a refresh token, the refresh token's
 * (stated, else `refreshTokenTtlMs`); `get` returns such an entry after its access token expired,
 * for its refresh token, as core's `TokenCache` contract allows (encrypted when `encryptionKey`
 * is set). Refreshes are serialized
 * across processes by a `SET NX PX` lock with a random fencing token, released by
 * compare-and-delete. Waiters read the token the holder stored; a crashed holder's lock expires.
 * When Redis is unreachable every operation falls back to an in-process cache and single-flight,
 * fires `onFallback`, and never fails the call.
 *
 * Works on one node, a Redis Cluster (a token and its lock share one hash tag, so one slot; every
 * script touches one slot) and a Sentinel-managed primary. Through a failover: a lock lost
 * mid-refresh costs at most one extra token request; a store that went back in time (writes not yet
 * replicated) is read like an empty or older entry, and an entry is never served past its expiry;
 * `MOVED`/`ASK` are followed by ioredis; a partition falls back to this process's own tokens. See
 * the guide "Node fleets with Redis" (docs/guides/node-fleets.md).
 *
 * `refresh` passed to `withRefreshLock` must read the cache first and fetch only if the token
 * there is still stale (core's token manager does): waiters run it once the holder is done.
 *
 * @example
 * const cache = createRedisTokenCache({ redis: process.env.REDIS_URL!, encryptionKey: process.env.TOKEN_CACHE_KEY });
 * const auth = clientCredentials({ ..., cache });
 */
export function createRedisTokenCache(options: RedisTokenCacheOptions): RedisTokenCache {
  const settings = parseOptions(options);
  const hooks = options.hooks ?? {};
  const codec = createTokenCodec(options.encryptionKey);
  const retain = (token: CachedToken): number => retainUntil(token, settings.refreshTokenTtlMs);
  const local = createLocalTokenStore(retain);
  const mutex = createKeyMutex();
  const connection = createRedisConnection(options.redis, "createRedisTokenCache", (error) => guard.report("connection", error));
  const guard = createRedisGuard(connection, hooks);
  const { redis } = connection;
  const attempt = guard.attempt;

  /**
   * What this process could not write while Redis failed, redone when it answers again: the token
   * it refreshed (so processes that found its lock, left behind on a promoted replica, read the
   * token instead of waiting out `lockTtlMs`), then the release of that lock. By Redis key.
   */
  const unstored = new Map<string, { token: CachedToken; key: string }>();
  const unreleased = new Map<string, string>();
  guard.onRecovered(() => void repair());

  async function repair(): Promise<void> {
    for (const [tokenKey, { token, key }] of [...unstored]) {
      unstored.delete(tokenKey);
      await store(key, token);
    }
    for (const [lockKey, fence] of [...unreleased]) {
      unreleased.delete(lockKey);
      const released = await attempt("unlock", () => releaseIfOwner.run(redis, [lockKey], [fence]));
      if (released === undefined) unreleased.set(lockKey, fence);
    }
  }

  async function store(key: string, token: CachedToken): Promise<void> {
    const ttl = Math.floor(retain(token) - Date.now());
    if (ttl <= 0) return;
    const { token: tokenKey } = redisKeys(key);
    const value = codec.encode(token, tokenKey);
    const stored = await attempt("set", () => storeIfLonger.run(redis, [tokenKey], [value, token.expiresAt, ttl]));
    if (stored === undefined) unstored.set(tokenKey, { token, key });
    else unstored.delete(tokenKey);
  }

  // `<prefix>{sha256(key)}:token` and `:lock`: one hash tag, so one Cluster slot per entry.
  const redisKeys = (key: string): { token: string; lock: string } => ({
    token: taggedKey(settings.prefix, key, "token"),
    lock: taggedKey(settings.prefix, key, "lock"),
  });

  async function waitForOtherRefresh(keys: { token: string; lock: string }, seen: string, deadline: number) {
    for (;;) {
      if (Date.now() >= deadline) return "timeout" as const;
      await sleep(settings.pollIntervalMs * (0.5 + Math.random()));
      const polled = await attempt("wait", () => redis.mget(keys.token, keys.lock));
      if (polled === undefined) return "unavailable" as const;
      const [token, lock] = polled.value;
      if (token != null && token !== seen) return "changed" as const;
      if (lock == null) return "released" as const;
    }
  }

  const cache: RedisTokenCache = {
    get mode() {
      return guard.mode;
    },

    async get(key) {
      const mine = local.get(key);
      const keys = redisKeys(key);
      const stored = await attempt("get", () => redis.get(keys.token));
      if (stored === undefined || stored.value === null) return mine;
      const token = codec.decode(stored.value, keys.token);
      if (token === undefined) {
        guard.report("decode", new Error("A stored token could not be decoded (another encryptionKey, or none, wrote it); it is ignored."));
        return mine;
      }
      // Expired with nothing left to use; an expired access token with a live refresh token is returned.
      if (retain(token) <= Date.now()) return mine;
      local.set(key, token);
      return token;
    },

    async set(key, token) {
      local.set(key, token);
      await store(key, token);
    },

    async delete(key) {
      local.delete(key);
      const { token: tokenKey } = redisKeys(key);
      unstored.delete(tokenKey);
      await attempt("delete", () => redis.del(tokenKey));
    },

    withRefreshLock(key, refresh) {
      return mutex.run(key, async () => {
        const keys = redisKeys(key);
        const deadline = Date.now() + settings.waitTimeoutMs;
        let seen: string | undefined;
        for (;;) {
          const fence = randomBytes(16).toString("hex");
          const taken = await attempt("lock", () => acquireOrPeek.run(redis, [keys.lock, keys.token], [fence, settings.lockTtlMs]));
          if (taken === undefined) return refresh();
          const [acquired, current] = taken.value as [number, string];
          if (acquired === 1) {
            try {
              return await refresh();
            } finally {
              const released = await attempt("unlock", () => releaseIfOwner.run(redis, [keys.lock], [fence]));
              if (released === undefined) unreleased.set(keys.lock, fence);
            }
          }
          seen ??= current;
          const outcome = await waitForOtherRefresh(keys, seen, deadline);
          // "changed": the holder stored a token, which `refresh` reads. "timeout"/"unavailable": never fail the call.
          if (outcome !== "released") return refresh();
        }
      });
    },

    close() {
      guard.dispose();
      return connection.close();
    },
  };
  return cache;
}

interface Settings {
  readonly prefix: string;
  readonly refreshTokenTtlMs: number;
  readonly lockTtlMs: number;
  readonly waitTimeoutMs: number;
  readonly pollIntervalMs: number;
}

const DEFAULT_REFRESH_TOKEN_TTL_MS = 30 * 24 * 3_600_000;

const FACTORY = "createRedisTokenCache";

function parseOptions(options: RedisTokenCacheOptions): Settings {
  if (typeof options !== "object" || options === null || options.redis === undefined || options.redis === null) {
    throw new PorticoNodeError(
      NodeErrorCode.INVALID_OPTIONS,
      `${FACTORY}: "redis" is required (an ioredis Redis or Cluster, its options, { cluster: [nodes] } or a redis:// URL)`,
    );
  }
  const lockTtlMs = positiveMs(FACTORY, "lockTtlMs", options.lockTtlMs, 10_000);
  return {
    prefix: checkPrefix(FACTORY, options.prefix, "portico:"),
    refreshTokenTtlMs: positiveMs(FACTORY, "refreshTokenTtlMs", options.refreshTokenTtlMs, DEFAULT_REFRESH_TOKEN_TTL_MS),
    lockTtlMs,
    waitTimeoutMs: positiveMs(FACTORY, "waitTimeoutMs", options.waitTimeoutMs, lockTtlMs + 5_000),
    pollIntervalMs: positiveMs(FACTORY, "pollIntervalMs", options.pollIntervalMs, 25),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
