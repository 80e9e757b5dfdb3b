import { maxDemoStateRows, type RedisConnection, withRedis } from "@repo/shop";
import type {
  DenylistEntry,
  RefreshTokenRecord,
  RefreshTokenStatus,
  RotationResult,
  TokenStateStore,
} from "./token-state";

// Keys: <prefix>refresh:<sha256> (hash per token), <prefix>family:<id> (hash: status, user, end,
// login cut-off), <prefix>user:<id> (set of the user's family ids), <prefix>deny:<jti>. Every key
// carries a TTL, so Redis forgets each one when it stops mattering.

// Runs inside Redis as one step, so two refreshes with the same token cannot both see "active".
// Nor can a revocation race it (as it can on PostgreSQL): a family's status lives in its own
// key, which this script reads and the revoke scripts set, one script at a time, and a token's
// status is read through its family, so one revoked after this ran covers the new token too.
// KEYS: presented token, next token, family. ARGV: family, nowMs, issuedAtMs, expiresAtMs.
// The next token ends no later than its family; a family saved before families had an end
// (no expiresAtMs field) ends with its current token.
const rotateScript = `
local token = redis.call('HMGET', KEYS[1], 'family', 'userId', 'expiresAtMs', 'status')
if not token[1] or token[1] ~= ARGV[1] then return {'unknown'} end
if redis.call('HGET', KEYS[3], 'status') == 'revoked' then return {'revoked'} end
if token[4] == 'rotated' then
  redis.call('HSET', KEYS[3], 'status', 'revoked')
  return {'reused', token[2], token[1]}
end
local now = tonumber(ARGV[2])
if tonumber(token[3]) <= now then return {'expired'} end
local familyEnd = tonumber(redis.call('HGET', KEYS[3], 'expiresAtMs') or token[3])
local expiresAt = math.min(tonumber(ARGV[4]), familyEnd)
redis.call('HSET', KEYS[1], 'status', 'rotated')
redis.call('HSET', KEYS[2], 'family', token[1], 'userId', token[2], 'issuedAtMs', ARGV[3],
  'expiresAtMs', string.format('%d', expiresAt), 'status', 'active')
redis.call('PEXPIRE', KEYS[2], math.max(1, expiresAt - now))
redis.call('PEXPIRE', KEYS[3], math.max(1, familyEnd - now))
return {'ok', token[2], token[1], string.format('%d', expiresAt),
  redis.call('HGET', KEYS[3], 'loginCutOffMs') or redis.call('HGET', KEYS[3], 'loggedInAtMs')
    or '0'}
`;

// Only marks a family that still exists: HSET on a missing key would create one with no TTL.
const revokeScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'status', 'revoked') end
return 0
`;

// Every family of one user, in one step, so a login racing it is either revoked or not yet
// saved. KEYS: the user's set of family ids. ARGV: the family key prefix.
const revokeUserScript = `
for _, family in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. family
  if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'status', 'revoked') end
end
redis.call('DEL', KEYS[1])
return 0
`;

const failureReasons = ["unknown", "expired", "revoked"] as const;

function toRotationResult(reply: unknown): RotationResult {
  const [outcome, userId, familyId, expiresAtMs, cutOffMs] = Array.isArray(reply)
    ? reply.map(String)
    : [];
  if (outcome === "ok" && userId && familyId) {
    const loginCutOffMs = Number(cutOffMs) || 0; // see RotationResult for older families
    return { ok: true, userId, familyId, expiresAtMs: Number(expiresAtMs), loginCutOffMs };
  }
  if (outcome === "reused" && userId && familyId) {
    return { ok: false, reason: "reused", userId, familyId };
  }
  const reason = failureReasons.find((candidate) => candidate === outcome);
  if (!reason) throw new Error(`unexpected reply from the rotation script: ${outcome}`);
  return { ok: false, reason };
}

/** Refresh tokens and the denylist in Redis, under `keyPrefix` ("jwt:" in the app). */
export function createRedisTokenState(client: RedisConnection, keyPrefix: string): TokenStateStore {
  const tokenKey = (tokenHash: string) => `${keyPrefix}refresh:${tokenHash}`;
  const familyKey = (familyId: string) => `${keyPrefix}family:${familyId}`;
  const userKey = (userId: string) => `${keyPrefix}user:${userId}`;
  const denyKey = (jti: string) => `${keyPrefix}deny:${jti}`;

  async function readToken(key: string): Promise<RefreshTokenRecord | undefined> {
    const fields = await client.hGetAll(key);
    if (!fields.family || !fields.userId) return undefined;
    const familyStatus = await client.hGet(familyKey(fields.family), "status");
    const status: RefreshTokenStatus =
      familyStatus === "revoked" ? "revoked" : fields.status === "rotated" ? "rotated" : "active";
    return {
      tokenHash: key.slice(tokenKey("").length),
      familyId: fields.family,
      userId: fields.userId,
      issuedAtMs: Number(fields.issuedAtMs),
      expiresAtMs: Number(fields.expiresAtMs),
      status,
    };
  }

  async function keysMatching(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 100 })) {
      keys.push(...batch.map(String));
    }
    return keys;
  }

  return {
    kind: "redis",
    saveRefreshToken: (token, nowMs) =>
      withRedis(async () => {
        const ttlMs = Math.max(1, token.expiresAtMs - nowMs);
        await client
          .multi()
          .hSet(tokenKey(token.tokenHash), {
            family: token.familyId,
            userId: token.userId,
            issuedAtMs: String(token.issuedAtMs),
            expiresAtMs: String(token.expiresAtMs),
            status: "active",
          })
          .pExpire(tokenKey(token.tokenHash), ttlMs)
          .hSet(familyKey(token.familyId), {
            status: "active",
            userId: token.userId,
            expiresAtMs: String(token.familyExpiresAtMs),
            loginCutOffMs: String(token.loginCutOffMs),
          })
          .pExpire(familyKey(token.familyId), Math.max(1, token.familyExpiresAtMs - nowMs))
          // The user's families, kept as long as their longest-lived one: NX sets the first
          // TTL, GT only ever lengthens it.
          .sAdd(userKey(token.userId), token.familyId)
          .pExpire(userKey(token.userId), Math.max(1, token.familyExpiresAtMs - nowMs), "NX")
          .pExpire(userKey(token.userId), Math.max(1, token.familyExpiresAtMs - nowMs), "GT")
          .exec();
      }),

    // A reply later than the deadline is a 503, yet the script may have run and retired the
    // token: the client's retry then looks like reuse and ends its login (it logs in again).
    // Accepted, as it fails safe; remembering the successor for a few seconds and handing it to
    // a retry of the same token would spare the user that.
    rotateRefreshToken: (presentedHash, next, nowMs) =>
      withRedis(async () => {
        // The family never changes, so reading it first is safe; the script re-checks it.
        const familyId = await client.hGet(tokenKey(presentedHash), "family");
        if (!familyId) return { ok: false, reason: "unknown" };
        const reply = await client.eval(rotateScript, {
          keys: [tokenKey(presentedHash), tokenKey(next.tokenHash), familyKey(familyId)],
          arguments: [familyId, String(nowMs), String(next.issuedAtMs), String(next.expiresAtMs)],
        });
        return toRotationResult(reply);
      }),

    findRefreshToken: (tokenHash) => withRedis(() => readToken(tokenKey(tokenHash))),

    revokeFamily: (familyId) =>
      withRedis(async () => {
        await client.eval(revokeScript, { keys: [familyKey(familyId)] });
      }),

    revokeUserFamilies: (userId) =>
      withRedis(async () => {
        await client.eval(revokeUserScript, {
          keys: [userKey(userId)],
          arguments: [familyKey("")],
        });
      }),

    denyAccessToken: ({ jti, expiresAtMs }, nowMs) =>
      withRedis(async () => {
        const ttlMs = expiresAtMs - nowMs;
        if (ttlMs <= 0) return; // already expired: nothing left to refuse
        await client.set(denyKey(jti), String(expiresAtMs), {
          expiration: { type: "PX", value: ttlMs },
        });
      }),

    isAccessTokenDenied: (jti) => withRedis(async () => (await client.exists(denyKey(jti))) === 1),

    healthCheck: () => withRedis(() => client.ping()),

    snapshot: (nowMs, userId) =>
      withRedis(async () => {
        const tokens = (
          await Promise.all((await keysMatching(`${keyPrefix}refresh:*`)).map(readToken))
        )
          .filter((token): token is RefreshTokenRecord => token !== undefined)
          .filter((token) => token.expiresAtMs > nowMs);
        const refreshTokens = tokens
          .filter((token) => token.userId === userId)
          .sort((a, b) => b.issuedAtMs - a.issuedAtMs)
          .slice(0, maxDemoStateRows);
        const otherRefreshTokens = tokens.filter((token) => token.userId !== userId).length;
        const denyKeys = (await keysMatching(`${keyPrefix}deny:*`)).slice(0, maxDemoStateRows);
        const values = denyKeys.length > 0 ? await client.mGet(denyKeys) : [];
        const denylist: DenylistEntry[] = denyKeys.flatMap((key, index) => {
          const value = values[index];
          return value ? [{ jti: key.slice(denyKey("").length), expiresAtMs: Number(value) }] : [];
        });
        return { refreshTokens, otherRefreshTokens, denylist };
      }),
  };
}
