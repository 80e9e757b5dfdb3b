import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { insecureFastScryptParamsForTests, openSqliteStore } from "@repo/store";
import { openPostgresTestStore } from "@repo/store/testing";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type StateStoreKind,
  stateStoreKinds,
  tempDir,
  testPostgresUrl,
  testRedis,
  testRedisUrl,
} from "./testing";
import type { TokenStateStore } from "./token-state";
import { createPostgresTokenState } from "./token-state-postgres";
import { createRedisTokenState } from "./token-state-redis";
import { createSqliteTokenState } from "./token-state-sqlite";
import { openTokenState } from "./token-states";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A state store and two real user ids (SQLite and PostgreSQL rows reference users). */
async function open(
  kind: StateStoreKind,
): Promise<{ state: TokenStateStore; userId: string; otherUserId: string }> {
  if (kind === "postgres") {
    const shop = await openPostgresTestStore(String(testPostgresUrl), "token_state");
    cleanups.push(() => shop.close());
    const state = await createPostgresTokenState(shop.database, () => {});
    cleanups.push(async () => state.close());
    const userId = (await shop.users.findUserByUsername("alice"))?.id ?? "";
    const otherUserId = (await shop.users.findUserByUsername("bob"))?.id ?? "";
    return { state, userId, otherUserId };
  }
  const store = await openSqliteStore({
    file: ":memory:",
    scrypt: insecureFastScryptParamsForTests,
  });
  cleanups.push(() => store.close());
  const userId = (await store.users.findUserByUsername("alice"))?.id ?? "";
  const otherUserId = (await store.users.findUserByUsername("bob"))?.id ?? "";
  if (kind === "sqlite") {
    const state = await createSqliteTokenState(store.database);
    cleanups.push(async () => state.close());
    return { state, userId, otherUserId };
  }
  const redis = await testRedis(String(testRedisUrl));
  cleanups.push(redis.cleanup);
  return { state: createRedisTokenState(redis.client, redis.keyPrefix), userId, otherUserId };
}

const nowMs = Date.now();
const hour = 60 * 60 * 1000;
/** The account's logins cut-off a login was checked under: a value, unlike the login's time. */
const loginCutOffMs = nowMs - 3 * hour;
/** A token to save at login (its family ends with it) or to rotate to. */
const next = () => ({
  tokenHash: randomUUID(),
  issuedAtMs: nowMs,
  expiresAtMs: nowMs + hour,
  familyExpiresAtMs: nowMs + hour,
  loginCutOffMs,
});

describe.each(stateStoreKinds)("the %s token state store", (kind) => {
  it("lets exactly one of many concurrent rotations of one token succeed", async () => {
    const { state, userId } = await open(kind);
    await state.saveRefreshToken({ ...next(), tokenHash: "first", familyId: "f1", userId }, nowMs);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => state.rotateRefreshToken("first", next(), nowMs)),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(
      results.filter((result) => !result.ok).map((result) => !result.ok && result.reason),
    ).toContain("reused");
  });

  it("tells unknown, expired, reused and revoked apart", async () => {
    const { state, userId } = await open(kind);
    expect(await state.rotateRefreshToken("nope", next(), nowMs)).toEqual({
      ok: false,
      reason: "unknown",
    });
    await state.saveRefreshToken({ ...next(), tokenHash: "a", familyId: "fa", userId }, nowMs);
    expect(await state.rotateRefreshToken("a", next(), nowMs + hour)).toEqual({
      ok: false,
      reason: "expired",
    });
    const second = next();
    expect(await state.rotateRefreshToken("a", second, nowMs)).toEqual({
      ok: true,
      userId,
      familyId: "fa",
      expiresAtMs: second.expiresAtMs,
      loginCutOffMs,
    });
    // Reuse names the family and its user, for the server log.
    expect(await state.rotateRefreshToken("a", next(), nowMs)).toEqual({
      ok: false,
      reason: "reused",
      familyId: "fa",
      userId,
    });
    expect(await state.rotateRefreshToken(second.tokenHash, next(), nowMs)).toEqual({
      ok: false,
      reason: "revoked",
    });
    expect((await state.findRefreshToken(second.tokenHash))?.status).toBe("revoked");
  });

  it("ends every token of a family at the family's absolute expiry, however often it rotates", async () => {
    const { state, userId } = await open(kind);
    const minute = 60 * 1000;
    const familyExpiresAtMs = nowMs + 90 * minute; // the login's absolute lifetime
    const first = { ...next(), tokenHash: "f-1", familyId: "ff", userId, familyExpiresAtMs };
    await state.saveRefreshToken(first, nowMs);
    // Rotated in time, 50 minutes in: a full hour more would pass the family's end, so it is cut.
    const at50 = nowMs + 50 * minute;
    const second = { tokenHash: "f-2", issuedAtMs: at50, expiresAtMs: at50 + hour };
    // The family remembers the logins cut-off its login was checked under.
    expect(await state.rotateRefreshToken("f-1", second, at50)).toEqual({
      ok: true,
      userId,
      familyId: "ff",
      expiresAtMs: familyExpiresAtMs,
      loginCutOffMs,
    });
    expect((await state.findRefreshToken("f-2"))?.expiresAtMs).toBe(familyExpiresAtMs);
    // 89 minutes in, still in time, and still cut at the family's end.
    const at89 = nowMs + 89 * minute;
    const third = { tokenHash: "f-3", issuedAtMs: at89, expiresAtMs: at89 + hour };
    const rotated = await state.rotateRefreshToken("f-2", third, at89);
    expect(rotated).toMatchObject({
      ok: true,
      expiresAtMs: familyExpiresAtMs,
      loginCutOffMs,
    });
    const at90 = nowMs + 90 * minute;
    const fourth = { tokenHash: "f-4", issuedAtMs: at90, expiresAtMs: at90 + hour };
    expect(await state.rotateRefreshToken("f-3", fourth, at90)).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("revokes every family of one user at once, and no one else's", async () => {
    const { state, userId, otherUserId } = await open(kind);
    await state.saveRefreshToken({ ...next(), tokenHash: "laptop", familyId: "f1", userId }, nowMs);
    await state.saveRefreshToken({ ...next(), tokenHash: "phone", familyId: "f2", userId }, nowMs);
    const bobs = { ...next(), tokenHash: "bob", familyId: "f3", userId: otherUserId };
    await state.saveRefreshToken(bobs, nowMs);
    await state.rotateRefreshToken("laptop", { ...next(), tokenHash: "laptop-2" }, nowMs);
    await state.revokeUserFamilies(userId);
    for (const tokenHash of ["laptop", "laptop-2", "phone"]) {
      expect((await state.findRefreshToken(tokenHash))?.status, tokenHash).toBe("revoked");
    }
    expect(await state.rotateRefreshToken("phone", next(), nowMs)).toEqual({
      ok: false,
      reason: "revoked",
    });
    expect((await state.findRefreshToken("bob"))?.status).toBe("active");
    // A login after the revocation starts a family that works.
    await state.saveRefreshToken({ ...next(), tokenHash: "again", familyId: "f4", userId }, nowMs);
    expect((await state.rotateRefreshToken("again", next(), nowMs)).ok).toBe(true);
  });

  it("keeps a denylisted jti until its expiry only", async () => {
    const { state } = await open(kind);
    await state.denyAccessToken({ jti: "j1", expiresAtMs: nowMs + 60_000 }, nowMs);
    expect(await state.isAccessTokenDenied("j1", nowMs)).toBe(true);
    expect(await state.isAccessTokenDenied("j2", nowMs)).toBe(false);
    expect((await state.snapshot(nowMs, undefined)).denylist).toEqual([
      { jti: "j1", expiresAtMs: nowMs + 60_000 },
    ]);
  });

  it("lists only refresh tokens that have not expired", async () => {
    const { state, userId } = await open(kind);
    await state.saveRefreshToken({ ...next(), tokenHash: "t1", familyId: "f1", userId }, nowMs);
    expect((await state.snapshot(nowMs, userId)).refreshTokens).toHaveLength(1);
    expect((await state.snapshot(nowMs + 2 * hour, userId)).refreshTokens).toEqual([]);
  });

  it("lists one user's refresh tokens and only counts everyone else's", async () => {
    const { state, userId, otherUserId } = await open(kind);
    await state.saveRefreshToken({ ...next(), tokenHash: "a1", familyId: "fa", userId }, nowMs);
    const bobs = { userId: otherUserId };
    await state.saveRefreshToken({ ...next(), tokenHash: "b1", familyId: "fb", ...bobs }, nowMs);
    await state.saveRefreshToken({ ...next(), tokenHash: "b2", familyId: "fc", ...bobs }, nowMs);
    const mine = await state.snapshot(nowMs, userId);
    expect(mine.refreshTokens.map((token) => token.tokenHash)).toEqual(["a1"]);
    expect(mine.otherRefreshTokens).toBe(2);
    expect(await state.snapshot(nowMs, undefined)).toMatchObject({
      refreshTokens: [],
      otherRefreshTokens: 3,
    });
    expect(await state.snapshot(nowMs + 2 * hour, userId)).toMatchObject({
      refreshTokens: [],
      otherRefreshTokens: 0,
    });
  });
});

describe("the SQLite token state store's pruning", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("deletes expired rows on a timer, through an index on expires_at_ms", async () => {
    const store = await openSqliteStore({
      file: ":memory:",
      scrypt: insecureFastScryptParamsForTests,
    });
    cleanups.push(() => store.close());
    const userId = (await store.users.findUserByUsername("alice"))?.id ?? "";
    vi.useFakeTimers({ toFake: ["setInterval", "Date"] });
    const state = await createSqliteTokenState(store.database);
    cleanups.push(async () => state.close());
    const start = Date.now();
    const soon = {
      issuedAtMs: start,
      expiresAtMs: start + 60_000,
      familyExpiresAtMs: start + 60_000,
      loginCutOffMs: 0,
    }; // 1 minute
    await state.saveRefreshToken({ ...soon, tokenHash: "t1", familyId: "f1", userId }, start);
    await state.denyAccessToken({ jti: "j1", expiresAtMs: soon.expiresAtMs }, start);
    const count = (table: string) =>
      (store.database.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    vi.advanceTimersByTime(15 * 60 * 1000); // 15 minutes: one pruning round
    expect(count("jwt_refresh_tokens")).toBe(0);
    expect(count("jwt_refresh_families")).toBe(0);
    expect(count("jwt_denylist")).toBe(0);
    for (const table of ["jwt_refresh_tokens", "jwt_refresh_families", "jwt_denylist"]) {
      const plan = store.database
        .prepare(`EXPLAIN QUERY PLAN DELETE FROM ${table} WHERE expires_at_ms <= 0`)
        .all() as { detail: string }[];
      expect(plan.map((step) => step.detail).join(" ")).toMatch(/USING (COVERING )?INDEX/);
    }
  });
});

describe.skipIf(!testRedisUrl)("the Redis token state store", () => {
  it("puts a TTL on every key it writes, so Redis forgets them by itself", async () => {
    const redis = await testRedis(String(testRedisUrl));
    cleanups.push(redis.cleanup);
    const state = createRedisTokenState(redis.client, redis.keyPrefix);
    await state.saveRefreshToken(
      { ...next(), tokenHash: "t1", familyId: "f1", userId: "u1" },
      nowMs,
    );
    await state.rotateRefreshToken("t1", next(), nowMs);
    await state.revokeFamily("f1");
    await state.revokeFamily("never-existed");
    await state.denyAccessToken({ jti: "j1", expiresAtMs: nowMs + 60_000 }, nowMs);
    const keys: string[] = [];
    for await (const batch of redis.client.scanIterator({ MATCH: `${redis.keyPrefix}*` }))
      keys.push(...batch);
    expect(keys).toHaveLength(5); // two tokens, one family, the user's families, one denylist entry
    for (const key of keys) {
      const ttl = await redis.client.pTTL(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(hour);
    }
  });
});

describe("opening the SQLite token state store", () => {
  it("adds the login cut-off to the families of an older file, as 0: before any cut-off", async () => {
    const file = join(tempDir(), "shop.sqlite");
    const shop = await openSqliteStore({ file, scrypt: insecureFastScryptParamsForTests });
    cleanups.push(() => shop.close());
    const userId = (await shop.users.findUserByUsername("alice"))?.id ?? "";
    shop.database.exec(`
      CREATE TABLE jwt_refresh_families (
        family_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at_ms INTEGER NOT NULL
      ) WITHOUT ROWID;`);
    shop.database
      .prepare("INSERT INTO jwt_refresh_families VALUES (?, ?, ?)")
      .run("old", userId, nowMs + hour);
    const state = await createSqliteTokenState(shop.database);
    cleanups.push(async () => state.close());
    const { changes } = shop.database
      .prepare("INSERT INTO jwt_refresh_tokens VALUES (?, ?, ?, ?, ?, 'active')")
      .run("old-token", "old", userId, nowMs, nowMs + hour);
    expect(changes).toBe(1);
    expect(await state.rotateRefreshToken("old-token", next(), nowMs)).toMatchObject({
      ok: true,
      loginCutOffMs: 0,
    });
    // A new login's family records the cut-off it was checked under.
    await state.saveRefreshToken({ ...next(), tokenHash: "t", familyId: "new", userId }, nowMs);
    expect(await state.rotateRefreshToken("t", next(), nowMs)).toMatchObject({
      loginCutOffMs,
    });
  });

  it("keeps the login time a family of an older file holds as its cut-off: it reads the same", async () => {
    const file = join(tempDir(), "shop.sqlite");
    const shop = await openSqliteStore({ file, scrypt: insecureFastScryptParamsForTests });
    cleanups.push(() => shop.close());
    const userId = (await shop.users.findUserByUsername("alice"))?.id ?? "";
    shop.database.exec(`
      CREATE TABLE jwt_refresh_families (
        family_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at_ms INTEGER NOT NULL,
        logged_in_at_ms INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;`);
    const loggedInAtMs = nowMs - hour;
    shop.database
      .prepare("INSERT INTO jwt_refresh_families VALUES (?, ?, ?, ?)")
      .run("old", userId, nowMs + hour, loggedInAtMs);
    const state = await createSqliteTokenState(shop.database);
    cleanups.push(async () => state.close());
    shop.database
      .prepare("INSERT INTO jwt_refresh_tokens VALUES (?, ?, ?, ?, ?, 'active')")
      .run("old-token", "old", userId, loggedInAtMs, nowMs + hour);
    expect(await state.rotateRefreshToken("old-token", next(), nowMs)).toMatchObject({
      ok: true,
      loginCutOffMs: loggedInAtMs,
    });
    // Opening it again changes nothing more.
    const reopened = await createSqliteTokenState(shop.database);
    reopened.close();
  });

  it("waits while another process holds the file, instead of failing at start", async () => {
    const file = join(tempDir(), "shop.sqlite");
    await (await openSqliteStore({ file, seed: false })).close(); // the users table to refer to
    const other = new Database(file);
    other.pragma("journal_mode = WAL");
    const impatient = new Database(file, { timeout: 0 }); // SQLITE_BUSY at once, no waiting
    other.exec("BEGIN IMMEDIATE"); // another process is creating its tables
    setTimeout(() => other.exec("COMMIT"), 100);
    try {
      const handle = await openTokenState("sqlite", { database: impatient });
      await handle.close();
    } finally {
      impatient.close();
      other.close();
    }
  });
});
