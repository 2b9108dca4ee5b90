import { Redis, type RedisOptions } from "ioredis";

/**
 * ioredis settings that keep a token cache from hanging when Redis is down: no offline queue
 * (commands fail at once while disconnected), one retry per command, short connect and command
 * timeouts, and reconnects every 100 ms to 2 s in the background.
 */
export const SAFE_REDIS_OPTIONS: Readonly<RedisOptions> = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 1_000,
  commandTimeout: 1_000,
  lazyConnect: true,
  retryStrategy: (times: number) => Math.min(100 * times, 2_000),
});

/** A Redis client plus the knowledge of whether it can take commands right now. */
export interface RedisConnection {
  readonly redis: Redis;
  /** True when Redis can take a command now; on first use, waits up to the connect timeout for the initial connection. */
  ready(): Promise<boolean>;
  /** Closes the client if this connection created it. */
  close(): Promise<void>;
}

/** Wraps a client given by the caller, or creates one (from options or a URL) with {@link SAFE_REDIS_OPTIONS}. */
export function createRedisConnection(input: Redis | RedisOptions | string, onError: (error: Error) => void): RedisConnection {
  const owned = !(input instanceof Redis);
  const redis =
    input instanceof Redis
      ? input
      : typeof input === "string"
        ? new Redis(input, SAFE_REDIS_OPTIONS)
        : new Redis({ ...SAFE_REDIS_OPTIONS, ...input });
  const connectTimeout = redis.options.connectTimeout ?? 1_000;
  redis.on("error", onError);

  let everReady = redis.status === "ready";
  let firstConnect: Promise<void> | undefined;
  redis.on("ready", () => {
    everReady = true;
  });

  const isReady = (): boolean => redis.status === "ready";

  function waitForFirstConnection(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        redis.off("ready", done);
        redis.off("end", done);
        resolve();
      };
      const timer = setTimeout(done, connectTimeout);
      redis.once("ready", done);
      redis.once("end", done);
      if (redis.status === "wait") redis.connect().catch(() => {});
    });
  }

  return {
    redis,
    async ready() {
      if (redis.status === "ready") return true;
      if (everReady || redis.status === "end") return false;
      await (firstConnect ??= waitForFirstConnection());
      return isReady();
    },
    async close() {
      redis.off("error", onError);
      if (!owned) return;
      redis.on("error", () => {});
      redis.disconnect();
    },
  };
}
