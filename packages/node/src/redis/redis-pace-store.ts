import { randomBytes } from "node:crypto";
import { createMemoryPaceStore, type PaceStore, type WindowReport } from "@portico/core";
import { CREDIT_WINDOW_MS, UNKNOWN_RESET_WAIT_MS } from "@portico/core/internal";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";
import { reserveScript, recordScript, spendScript } from "./pace-scripts.js";
import { createRedisConnection, type RedisTarget } from "./redis-connection.js";
import { createRedisGuard, type RedisStoreHooks } from "./redis-guard.js";
import { checkPrefix, positiveMs, taggedKey } from "./redis-keys.js";

export interface RedisPaceStoreOptions {
  /** Prefix of every Redis key; no `{` or `}`. @default "portico:pace:" */
  readonly prefix?: string;
  /**
   * How long a tenant's window outlives its reset with nobody pacing it: then its key expires, so
   * idle tenants leave nothing behind. A window kept that long restarts with the limit the last
   * response stated. Credit spends expire a minute after the last one.
   * @default 600000 (10 minutes)
   */
  readonly idleTtlMs?: number;
  /**
   * Observability: `onFallback` fires once when Redis stops answering (the store then paces this
   * process alone, from its own memory), `onRecover` once when Redis answers again,
   * `onRedisError` for every error (redacted). Operations: `reserve`, `record`, `spend`.
   */
  readonly hooks?: RedisStoreHooks;
}

/** A `PaceStore` shared by every process that points at the same Redis. */
export interface RedisPaceStore extends PaceStore {
  reserve(key: string, now: number): Promise<number>;
  record(key: string, report: WindowReport, now: number): Promise<void>;
  spend(key: string, cost: number, max: number, now: number): Promise<number>;
  /** `"redis"` while Redis answers, `"fallback"` while this process paces on its own. */
  readonly mode: "redis" | "fallback";
  /** Disconnects the Redis client if the store created it. */
  close(): Promise<void>;
}

const FACTORY = "createRedisPaceStore";
/** The credit budget's sliding window: a minute, as in the in-process store. */

/**
 * Creates a pace store in Redis shared by a fleet: what responses said of each tenant's rate-limit
 * window, and the credits it spent in the last minute, so that every process of the fleet takes
 * from the same window and budget, with the same rules as the in-process store
 * (`createMemoryPaceStore`). Each operation is one Lua script on one key's slot (a pace key's
 * window and spends share a hash tag), so it works on one node, a Redis Cluster and a
 * Sentinel-managed primary alike. Keys hold a hash of the pace key, never an origin or fingerprint.
 *
 * Times are the callers' `now`, never the Redis server's clock: a window's reset comes from a
 * response read on a caller's clock, and the fleet's hosts are expected to keep their clocks in
 * sync (NTP); a host whose clock runs ahead by `d` ms starts a window up to `d` ms early.
 *
 * When Redis is unreachable or a command fails, each operation is answered from this process's own
 * memory store (the call is never failed) and `onFallback` fires; state in Redis is used again as
 * soon as it answers.
 *
 * @param redis An ioredis `Redis` or `Cluster` (used as is), its options (`sentinels` + `name`
 *   for Sentinel), `{ cluster: [start-up nodes] }`, or a `redis://` URL.
 * @example
 * const pacing = createRedisPaceStore(process.env.REDIS_URL!);
 * const ims = createImsApiClient({ auth, pacing: { store: pacing, key: tenantId } }); // one key per budget, the same in every process
 */
export function createRedisPaceStore(redis: RedisTarget, options: RedisPaceStoreOptions = {}): RedisPaceStore {
  if (redis === undefined || redis === null) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${FACTORY}: the Redis to use is required (an ioredis Redis or Cluster, its options, { cluster: [nodes] } or a redis:// URL)`);
  }
  if (typeof options !== "object" || options === null) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${FACTORY}: options must be an object ({ prefix?, idleTtlMs?, hooks? })`);
  }
  const prefix = checkPrefix(FACTORY, options.prefix, "portico:pace:");
  const idleTtlMs = positiveMs(FACTORY, "idleTtlMs", options.idleTtlMs, 600_000);
  const connection = createRedisConnection(redis, FACTORY, (error) => guard.report("connection", error));
  const guard = createRedisGuard(connection, options.hooks ?? {});
  const local = createMemoryPaceStore();
  const client = connection.redis;

  return {
    get mode() {
      return guard.mode;
    },

    async reserve(key, now) {
      checkTime("now", now);
      const answer = await guard.attempt("reserve", () => reserveScript.run(client, [taggedKey(prefix, key, "window")], [String(now), idleTtlMs, String(UNKNOWN_RESET_WAIT_MS)]));
      return answer === undefined ? local.reserve(key, now) : readMs(answer.value);
    },

    async record(key, report, now) {
      checkTime("now", now);
      if (!isReport(report)) {
        throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${FACTORY}: record() takes a window report { remaining: number ≥ 0, resetAt: epoch ms, limit?: number ≥ 0, windowMs?: number > 0 }`);
      }
      const optional = (value: number | undefined): string => (value === undefined ? "" : String(value));
      const args = [String(report.remaining), String(report.resetAt), optional(report.limit), optional(report.windowMs), String(now), idleTtlMs];
      await guard.attempt("record", () => recordScript.run(client, [taggedKey(prefix, key, "window")], args));
      // This process's own copy is kept up to date too, for when Redis stops answering.
      await local.record(key, report, now);
    },

    async spend(key, cost, max, now) {
      checkTime("now", now);
      if (!(Number.isFinite(cost) && cost >= 0) || !(Number.isFinite(max) && max >= 0)) {
        throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${FACTORY}: spend() takes a cost and a budget that are finite numbers ≥ 0`);
      }
      const id = randomBytes(8).toString("hex");
      const answer = await guard.attempt("spend", () =>
        spendScript.run(client, [taggedKey(prefix, key, "spend")], [String(cost), String(max), String(now), CREDIT_WINDOW_MS, id]),
      );
      return answer === undefined ? local.spend(key, cost, max, now) : readMs(answer.value);
    },

    close() {
      guard.dispose();
      return connection.close();
    },
  };
}

/** A script's wait: a decimal string, or `inf`. */
function readMs(value: unknown): number {
  if (value === "inf") return Number.POSITIVE_INFINITY;
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function isReport(report: unknown): report is WindowReport {
  if (typeof report !== "object" || report === null) return false;
  const { remaining, resetAt, limit, windowMs } = report as Partial<WindowReport>;
  return (
    typeof remaining === "number" && Number.isFinite(remaining) && remaining >= 0 &&
    typeof resetAt === "number" && Number.isFinite(resetAt) &&
    (limit === undefined || (typeof limit === "number" && Number.isFinite(limit) && limit >= 0)) &&
    (windowMs === undefined || (typeof windowMs === "number" && Number.isFinite(windowMs) && windowMs > 0))
  );
}

function checkTime(name: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `${FACTORY}: "${name}" must be epoch milliseconds (a finite number)`);
  }
}
