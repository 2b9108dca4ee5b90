import { createHash } from "node:crypto";
import type { RedisClient } from "./redis-connection.js";

/**
 * A Lua script run with `EVALSHA`, falling back to `EVAL` once when Redis does not know it yet (a
 * restarted node, a replica just promoted by a failover, a Cluster node the slot just moved to).
 * Every script touches only the keys it is given, all of one entry's hash tag, so a Cluster runs it
 * on the one node that owns the slot (ioredis routes it by its first key and follows `MOVED`/`ASK`).
 */
export interface RedisScript {
  run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

export function defineScript(source: string): RedisScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}

/**
 * Stores a token unless the stored one expires later (a slow or stale writer never replaces a
 * fresher token). KEYS: token. ARGV: value, expiresAt, ttlMs.
 */
export const storeIfLonger = defineScript(`
local current = redis.call('GET', KEYS[1])
if current then
  local expires = tonumber(string.match(current, '^[^.]+%.(%d+)%.'))
  if expires and expires > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
`);

/**
 * Takes the refresh lock (`SET NX PX` with a fencing token), or reports the stored token so the
 * caller can wait for it to change. KEYS: lock, token. ARGV: fence, ttlMs. Returns {1, ''} or {0, token or ''}.
 */
export const acquireOrPeek = defineScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, ''} end
local token = redis.call('GET', KEYS[2])
if not token then token = '' end
return {0, token}
`);

/** Releases the lock only if it still holds our fencing token. KEYS: lock. ARGV: fence. */
export const releaseIfOwner = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
