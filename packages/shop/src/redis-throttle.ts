import type { ThrottleStore } from "@repo/store";
import { type RedisConnection, withRedis } from "./redis";

// The rule of ThrottleStore.reserve (decideReservation in @repo/store), run inside Redis as
// one step, so no other instance can count in between. KEYS: the counters (hashes of
// attempts and resetAtMs). ARGV: nowMs, windowMs, lockMs, then each counter's maxAttempts.
// Returns -1 when allowed, else the milliseconds until the last lock ends.
const reserveScript = `
local now = tonumber(ARGV[1])
local counters = {}
local retry = -1
for i, key in ipairs(KEYS) do
  local stored = redis.call('HMGET', key, 'attempts', 'resetAtMs')
  local attempts, resetAt = tonumber(stored[1]), tonumber(stored[2])
  if not attempts or not resetAt or resetAt <= now then
    attempts, resetAt = 0, now + tonumber(ARGV[2])
  end
  if attempts >= tonumber(ARGV[3 + i]) then retry = math.max(retry, resetAt - now) end
  counters[i] = { attempts, resetAt }
end
if retry >= 0 then return retry end
for i, key in ipairs(KEYS) do
  local attempts, resetAt = counters[i][1] + 1, counters[i][2]
  if attempts >= tonumber(ARGV[3 + i]) then resetAt = math.max(resetAt, now + tonumber(ARGV[3])) end
  redis.call('HSET', key, 'attempts', attempts, 'resetAtMs', string.format('%.0f', resetAt))
  redis.call('PEXPIRE', key, string.format('%.0f', resetAt - now))
end
return -1
`;

// Gives one attempt back to a live counter; never creates one.
const releaseScript = `
local stored = redis.call('HMGET', KEYS[1], 'attempts', 'resetAtMs')
if tonumber(stored[1] or 0) > 0 and tonumber(stored[2] or 0) > tonumber(ARGV[1]) then
  redis.call('HINCRBY', KEYS[1], 'attempts', -1)
end
return 0
`;

/**
 * Login attempt counters in Redis under `keyPrefix`, shared by every instance that uses the
 * same Redis. Each counter expires by itself when its window or lock ends.
 */
export function createRedisThrottleStore(
  client: RedisConnection,
  keyPrefix: string,
  log?: (message: string) => void,
): ThrottleStore {
  return {
    // A reply later than the deadline is a 503, yet the script may have run: the attempt is then
    // counted though no password was checked. Accepted: during a Redis stall a user may lose one
    // of their tries, and an attacker never gains one.
    reserve: (limits, window, nowMs) =>
      withRedis(async () => {
        const reply = await client.eval(reserveScript, {
          keys: limits.map((limit) => keyPrefix + limit.key),
          arguments: [
            String(nowMs),
            String(window.windowMs),
            String(window.lockMs),
            ...limits.map((limit) => String(limit.maxAttempts)),
          ],
        });
        const retryAfterMs = Number(reply);
        return retryAfterMs < 0 ? { allowed: true } : { allowed: false, retryAfterMs };
      }, log),
    release: (key, nowMs) =>
      withRedis(async () => {
        await client.eval(releaseScript, { keys: [keyPrefix + key], arguments: [String(nowMs)] });
      }, log),
    reset: (key) =>
      withRedis(async () => {
        await client.del(keyPrefix + key);
      }, log),
    healthCheck: () => withRedis(() => client.ping(), log),
  };
}
