import { defineScript } from "./scripts.js";

/*
 * The pace store's scripts: the in-process store's rules (`createMemoryPaceStore` in
 * @portico/core), run atomically in Redis so every process of a fleet takes from one window.
 *
 * A window is a hash: `remaining`, `resetAt` (epoch ms; -1 while a window begun locally waits for a
 * response to say when it resets), `limit` and `windowMs` (each absent when no response said).
 * Credit spends are a sorted set scored by when they were spent, each member `<id>:<cost>`. Both
 * keys of one pace key share a hash tag (one Cluster slot). Times are the caller's `now`, never Redis's clock: the
 * resets they are compared with were read from responses on the callers' clocks too.
 *
 * Numbers are written and returned as strings with 17 significant digits, so they round-trip
 * exactly (Redis would truncate a Lua number reply to an integer); `inf` stands for Infinity.
 */

/** Lua: a number as a string that reads back as the same double. */
const NUM = "local function num(x) return string.format('%.17g', x) end\n";

/**
 * Takes one request from the window. KEYS: window. ARGV: now, idleTtlMs, the wait for an unknown reset. Returns the wait in ms as
 * a string ("0": go now, counted). A window whose reset has passed starts again with the last
 * stated limit, ending at the next boundary when its length is known (else when a response says:
 * until then, a spent window answers the wait ARGV[3] gives).
 */
export const reserveScript = defineScript(NUM + `
local now = tonumber(ARGV[1])
local idle = tonumber(ARGV[2])
local fields = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt', 'limit', 'windowMs')
if not fields[1] then return '0' end
local remaining = tonumber(fields[1])
local resetAt = tonumber(fields[2])
local limit = tonumber(fields[3])
local windowMs = tonumber(fields[4])
if resetAt >= 0 and now >= resetAt then
  if not limit then
    redis.call('DEL', KEYS[1])
    return '0'
  end
  remaining = limit
  if windowMs then
    resetAt = resetAt + math.ceil((now + 1 - resetAt) / windowMs) * windowMs
    redis.call('PEXPIRE', KEYS[1], math.ceil(resetAt - now + idle))
  else
    resetAt = -1
    redis.call('PEXPIRE', KEYS[1], idle)
  end
  redis.call('HSET', KEYS[1], 'remaining', num(remaining), 'resetAt', num(resetAt))
end
if remaining > 0 then
  redis.call('HSET', KEYS[1], 'remaining', num(remaining - 1))
  return '0'
end
-- Spent, its end not yet known: a short wait (ARGV[3], core's UNKNOWN_RESET_WAIT_MS) for a response to say it.
if resetAt < 0 then return ARGV[3] end
return num(resetAt - now)
`);

/**
 * Records what a response said. KEYS: window. ARGV: remaining, resetAt, limit ('' when not said),
 * windowMs ('' when not said), now, idleTtlMs. A report of a window already over is ignored.
 * Until the window already known ends (or while a window begun locally awaits its reset), keeps
 * the lower count; otherwise starts the reported window. The key expires `idleTtlMs` after
 * the window resets (or after now, while its reset is unknown).
 */
export const recordScript = defineScript(NUM + `
local reportRemaining = tonumber(ARGV[1])
local reportResetAt = tonumber(ARGV[2])
local reportLimit = tonumber(ARGV[3])
local reportWindowMs = tonumber(ARGV[4])
local now = tonumber(ARGV[5])
local idle = tonumber(ARGV[6])
if reportResetAt <= now then return 0 end
local fields = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt', 'limit', 'windowMs')
local remaining = tonumber(fields[1])
local resetAt = tonumber(fields[2])
local limit = tonumber(fields[3])
local windowMs = tonumber(fields[4])
-- Until the known window ends, every answer is about it (late, out of order, or from the next
-- window come early): it only lowers the count, and moves the reset later by a second at most.
local sameWindow = remaining ~= nil and (resetAt < 0 or now < resetAt)
if sameWindow then
  remaining = math.min(remaining, reportRemaining)
  if resetAt < 0 then resetAt = reportResetAt elseif reportResetAt - resetAt < 1000 then resetAt = math.max(resetAt, reportResetAt) end
else
  remaining = reportRemaining
  resetAt = reportResetAt
end
if reportLimit then limit = reportLimit end
if reportWindowMs then windowMs = reportWindowMs end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'remaining', num(remaining), 'resetAt', num(resetAt))
if limit then redis.call('HSET', KEYS[1], 'limit', num(limit)) end
if windowMs then redis.call('HSET', KEYS[1], 'windowMs', num(windowMs)) end
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(math.max(resetAt - now, 0) + idle)))
return 1
`);

/**
 * Spends credits from a sliding minute. KEYS: spends. ARGV: cost, max, now, windowMs, member id.
 * Returns the wait in ms as a string ("0": spent now; "inf": `cost` alone exceeds `max`).
 */
export const spendScript = defineScript(NUM + `
local cost = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local windowMs = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', num(now - windowMs))
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local total = 0
for i = 1, #entries, 2 do
  total = total + tonumber(string.match(entries[i], ':(.*)$'))
end
if cost > max then return 'inf' end
if total + cost <= max then
  if cost > 0 then
    redis.call('ZADD', KEYS[1], ARGV[3], ARGV[5] .. ':' .. ARGV[1])
    redis.call('PEXPIRE', KEYS[1], windowMs)
  end
  return '0'
end
local freed = 0
for i = 1, #entries, 2 do
  freed = freed + tonumber(string.match(entries[i], ':(.*)$'))
  if total - freed + cost <= max then return num(tonumber(entries[i + 1]) + windowMs - now) end
end
return num(tonumber(entries[#entries]) + windowMs - now)
`);
