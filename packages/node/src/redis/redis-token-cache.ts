import { createHash, randomBytes } from "node:crypto";
import type { Redis, RedisOptions } from "ioredis";
import type { CachedToken, TokenCache } from "@portico/core";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";
import { createKeyMutex } from "../internal/key-mutex.js";
import { createLocalTokenStore } from "../internal/local-token-store.js";
import { createRedisConnection } from "./redis-connection.js";
import { acquireOrPeek, releaseIfOwner, storeIfLonger } from "./scripts.js";
import { createTokenCodec } from "./token-codec.js";
import { retainUntil } from "./token-retention.js";

/** Why the cache stopped using Redis for a while. */
export interface RedisFallbackEvent {
  /** `"unavailable"`: not connected; `"error"`: a command failed. */
  readonly reason: "unavailable" | "error";
  /** The cache operation that noticed: `get`, `set`, `delete`, `lock`, `wait` or `unlock`. */
  readonly operation: string;
  /** Redacted error (name, message and code only), for `"error"`. */
  readonly error?: Error;
}

/** A Redis error, redacted: name, message and `code` only, never the command's arguments. */
export interface RedisErrorEvent {
  readonly operation: string;
  readonly error: Error;
}

/** Observability of the shared cache. Hooks never throw into a call; their errors are ignored. */
export interface RedisTokenCacheHooks {
  /** Fired once when Redis becomes unusable: the cache now serves this process's own tokens and single-flight. */
  onFallback?(event: RedisFallbackEvent): void;
  /** Fired for every Redis error, including background reconnect failures (`operation: "connection"`) and undecodable entries (`"decode"`). */
  onRedisError?(event: RedisErrorEvent): void;
  /** Fired once when Redis answers again after a fallback. */
  onRecover?(): void;
}

export interface RedisTokenCacheOptions {
  /** An ioredis client (used as is; see `SAFE_REDIS_OPTIONS`), its options, or a `redis://` URL. */
  redis: Redis | RedisOptions | string;
  /** Prefix of every Redis key. @default "portico:" */
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
  let mode: "redis" | "fallback" = "redis";

  const connection = createRedisConnection(options.redis, (error) => {
    safely(() => hooks.onRedisError?.({ operation: "connection", error: redact(error) }));
  });
  const { redis } = connection;
  const onReady = (): void => recovered();
  redis.on("ready", onReady);

  function recovered(): void {
    if (mode === "redis") return;
    mode = "redis";
    safely(() => hooks.onRecover?.());
  }

  function fellBack(operation: string, error?: unknown): void {
    const redacted = error === undefined ? undefined : redact(error);
    if (redacted !== undefined) safely(() => hooks.onRedisError?.({ operation, error: redacted }));
    if (mode === "fallback") return;
    mode = "fallback";
    const event: RedisFallbackEvent =
      redacted === undefined ? { reason: "unavailable", operation } : { reason: "error", operation, error: redacted };
    safely(() => hooks.onFallback?.(event));
  }

  /** Runs one Redis operation; `undefined` (after falling back) when Redis is down or failed. */
  async function attempt<R>(operation: string, run: () => Promise<R>): Promise<{ value: R } | undefined> {
    if (!(await connection.ready())) {
      fellBack(operation);
      return undefined;
    }
    try {
      const value = await run();
      recovered();
      return { value };
    } catch (error) {
      fellBack(operation, error);
      return undefined;
    }
  }

  const redisKeys = (key: string): { token: string; lock: string } => {
    const slot = `${settings.prefix}{${createHash("sha256").update(key).digest("hex")}}`;
    return { token: `${slot}:token`, lock: `${slot}:lock` };
  };

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
      return mode;
    },

    async get(key) {
      const mine = local.get(key);
      const keys = redisKeys(key);
      const stored = await attempt("get", () => redis.get(keys.token));
      if (stored === undefined || stored.value === null) return mine;
      const token = codec.decode(stored.value, keys.token);
      if (token === undefined) {
        const error = new Error("A stored token could not be decoded (another encryptionKey, or none, wrote it); it is ignored.");
        safely(() => hooks.onRedisError?.({ operation: "decode", error }));
        return mine;
      }
      // Expired with nothing left to use; an expired access token with a live refresh token is returned.
      if (retain(token) <= Date.now()) return mine;
      local.set(key, token);
      return token;
    },

    async set(key, token) {
      local.set(key, token);
      const ttl = Math.floor(retain(token) - Date.now());
      if (ttl <= 0) return;
      const { token: tokenKey } = redisKeys(key);
      const value = codec.encode(token, tokenKey);
      await attempt("set", () => storeIfLonger.run(redis, [tokenKey], [value, token.expiresAt, ttl]));
    },

    async delete(key) {
      local.delete(key);
      const { token: tokenKey } = redisKeys(key);
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
              await attempt("unlock", () => releaseIfOwner.run(redis, [keys.lock], [fence]));
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
      redis.off("ready", onReady);
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

function parseOptions(options: RedisTokenCacheOptions): Settings {
  if (typeof options !== "object" || options === null || options.redis === undefined || options.redis === null) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, 'createRedisTokenCache: "redis" is required (an ioredis client, its options or a redis:// URL)');
  }
  const lockTtlMs = positiveInteger("lockTtlMs", options.lockTtlMs, 10_000);
  return {
    prefix: options.prefix ?? "portico:",
    refreshTokenTtlMs: positiveInteger("refreshTokenTtlMs", options.refreshTokenTtlMs, DEFAULT_REFRESH_TOKEN_TTL_MS),
    lockTtlMs,
    waitTimeoutMs: positiveInteger("waitTimeoutMs", options.waitTimeoutMs, lockTtlMs + 5_000),
    pollIntervalMs: positiveInteger("pollIntervalMs", options.pollIntervalMs, 25),
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `createRedisTokenCache: "${name}" must be a positive integer (milliseconds)`);
  }
  return value;
}

/** Keeps name, message and code: ioredis errors can carry the command and its arguments (a token). */
function redact(error: unknown): Error {
  if (!(error instanceof Error)) return new Error("Redis error");
  const copy = new Error(error.message);
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}

function safely(hook: () => void): void {
  try {
    hook();
  } catch {
    // A failing hook must not fail the call.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
