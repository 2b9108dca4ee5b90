import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from "ioredis";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";

/** An ioredis client: one node or Sentinel-managed (`Redis`), or a Redis Cluster (`Cluster`). */
export type RedisClient = Redis | Cluster;

/**
 * A Redis Cluster to connect to: start-up nodes (any few of the cluster's nodes, or the managed
 * service's configuration endpoint) and ioredis `Cluster` options, laid over
 * {@link SAFE_CLUSTER_OPTIONS}.
 *
 * @example
 * { cluster: [{ host: "clustercfg.tokens.cache.amazonaws.com", port: 6379 }], options: { redisOptions: { tls: {} } } }
 */
export interface RedisClusterTarget {
  readonly cluster: readonly ClusterNode[];
  readonly options?: ClusterOptions;
}

/**
 * Where a shared store finds Redis: an ioredis client used as is (`Redis` or `Cluster`), options for
 * one (`RedisOptions`, including `sentinels` + `name` for a Sentinel-managed primary), a Redis
 * Cluster's start-up nodes, or a `redis://` / `rediss://` URL.
 */
export type RedisTarget = RedisClient | RedisOptions | RedisClusterTarget | string;

/** `READONLY`: the node this client talks to was demoted to replica by a failover; reconnect to find the new primary. */
const reconnectWhenDemoted = (error: Error): 1 | false => (error.message.startsWith("READONLY") ? 1 : false);

/**
 * ioredis settings that keep a shared store from hanging when Redis is down: no offline queue
 * (commands fail at once while disconnected), one retry per command, short connect and command
 * timeouts, reconnects every 100 ms to 2 s in the background, and a reconnect when a failover
 * demoted the node (`READONLY`). With `sentinels`, a dropped connection asks the Sentinels for the
 * primary again. (ioredis's `failoverDetector` is left off: with it, a client was seen to stay
 * disconnected after a Sentinel failover under load.)
 */
export const SAFE_REDIS_OPTIONS: Readonly<RedisOptions> = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 1_000,
  commandTimeout: 1_000,
  lazyConnect: true,
  retryStrategy: (times: number) => Math.min(100 * times, 2_000),
  reconnectOnError: reconnectWhenDemoted,
});

/**
 * ioredis `Cluster` settings with the same aims: no offline queue, reads from primaries only (a
 * replica may lag behind the token just stored), `MOVED`/`ASK` followed up to 16 times, commands
 * that hit a node going down retried every 100 ms while the cluster fails over (bounded by the
 * redirection limit), and per-node timeouts as in {@link SAFE_REDIS_OPTIONS}.
 */
export const SAFE_CLUSTER_OPTIONS: Readonly<ClusterOptions> = Object.freeze({
  enableOfflineQueue: false,
  lazyConnect: true,
  scaleReads: "master",
  maxRedirections: 16,
  retryDelayOnFailover: 100,
  retryDelayOnClusterDown: 100,
  retryDelayOnTryAgain: 100,
  retryDelayOnMoved: 0,
  slotsRefreshTimeout: 1_000,
  clusterRetryStrategy: (times: number) => Math.min(100 * times, 2_000),
  redisOptions: Object.freeze({ connectTimeout: 1_000, commandTimeout: 1_000, maxRetriesPerRequest: 1, reconnectOnError: reconnectWhenDemoted }),
});

/** A Redis client plus the knowledge of whether it can take commands right now. */
export interface RedisConnection {
  readonly redis: RedisClient;
  /** True when Redis can take a command now; on first use, waits up to the connect timeout for the initial connection. */
  ready(): Promise<boolean>;
  /** Closes the client if this connection created it. */
  close(): Promise<void>;
}

function isClusterTarget(input: object): input is RedisClusterTarget {
  return Array.isArray((input as Partial<RedisClusterTarget>).cluster);
}

/** The client for `input`: the caller's own, or a new one with the safe settings under the caller's. */
export function createRedisClient(input: RedisTarget, factory: string): { redis: RedisClient; owned: boolean } {
  if (input instanceof Redis || input instanceof Cluster) return { redis: input, owned: false };
  if (typeof input === "string") {
    if (!/^rediss?:\/\//i.test(input)) {
      throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${factory}: "redis" must be a redis:// or rediss:// URL, an ioredis client, or its options`);
    }
    return { redis: new Redis(input, SAFE_REDIS_OPTIONS), owned: true };
  }
  if (typeof input !== "object" || input === null) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${factory}: "redis" is required (an ioredis Redis or Cluster, its options, { cluster: [nodes] } or a redis:// URL)`);
  }
  if (isClusterTarget(input)) {
    if (input.cluster.length === 0) {
      throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${factory}: "redis.cluster" must list at least one start-up node, e.g. [{ host: "10.0.0.1", port: 6379 }]`);
    }
    const options = input.options ?? {};
    const redisOptions = { ...SAFE_CLUSTER_OPTIONS.redisOptions, ...options.redisOptions };
    return { redis: new Cluster([...input.cluster], { ...SAFE_CLUSTER_OPTIONS, ...options, redisOptions }), owned: true };
  }
  return { redis: new Redis({ ...SAFE_REDIS_OPTIONS, ...input }), owned: true };
}

/** Wraps a client given by the caller, or creates one (see {@link createRedisClient}). */
export function createRedisConnection(input: RedisTarget, factory: string, onError: (error: Error) => void): RedisConnection {
  const { redis, owned } = createRedisClient(input, factory);
  const connectTimeout = (redis instanceof Cluster ? redis.options.redisOptions?.connectTimeout : redis.options.connectTimeout) ?? 1_000;
  redis.on("error", onError);
  // A Cluster reports each node's connection errors apart.
  const onNodeError = (error: Error): void => onError(error);
  if (redis instanceof Cluster) redis.on("node error", onNodeError);

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
      redis.off("node error", onNodeError);
      if (!owned) return;
      redis.on("error", () => {});
      redis.disconnect();
    },
  };
}
