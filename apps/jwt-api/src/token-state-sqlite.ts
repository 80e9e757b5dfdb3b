import { maxDemoStateRows } from "@repo/shop";
import { ensureSchema, isBusy, type SqliteShopStore, withBusyRetry } from "@repo/store";
import type {
  DenylistEntry,
  NewRefreshToken,
  RotatedRefreshToken,
  RotationResult,
  TokenStateStore,
} from "./token-state";
import { pruneIntervalMs, type RefreshRow, toRecord } from "./token-state-sql";

// In the shop's own file, beside users and carts; idempotent, so every start may run it.
const schemaSql = `
CREATE TABLE IF NOT EXISTS jwt_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  issued_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'rotated', 'revoked'))
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS jwt_refresh_tokens_family ON jwt_refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS jwt_refresh_tokens_by_expiry ON jwt_refresh_tokens (expires_at_ms);
CREATE INDEX IF NOT EXISTS jwt_refresh_tokens_by_user ON jwt_refresh_tokens (user_id);

-- One row per login: the account's logins cut-off its password was checked under, and when its
-- tokens stop being renewable, however often they rotate. A family saved before this table
-- existed has no row, and ends with its current token; one saved before the column has 0 there,
-- older than any cut-off (see the migration below for one that kept its login's time).
CREATE TABLE IF NOT EXISTS jwt_refresh_families (
  family_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at_ms INTEGER NOT NULL,
  login_cut_off_ms INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS jwt_refresh_families_by_expiry ON jwt_refresh_families (expires_at_ms);

CREATE TABLE IF NOT EXISTS jwt_denylist (
  jti TEXT PRIMARY KEY,
  expires_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS jwt_denylist_by_expiry ON jwt_denylist (expires_at_ms);
`;

/** The SQLite token state store, with a way to stop its pruning timer. */
export interface SqliteTokenStateStore extends TokenStateStore {
  /** Stops the pruning timer; the database itself belongs to the shop store. */
  close(): void;
}

/**
 * Refresh tokens and the denylist in the shop's SQLite file, so both survive a restart. Expired
 * rows are never returned and are pruned in the background, as the session store does.
 */
export async function createSqliteTokenState(
  db: SqliteShopStore["database"],
): Promise<SqliteTokenStateStore> {
  await ensureSchema(db, schemaSql, () => {
    const columns = db
      .prepare("SELECT name FROM pragma_table_info('jwt_refresh_families')")
      .pluck();
    const names = columns.all();
    // Families once kept their login's time: a moment at or after the cut-off they logged in
    // under, so the refresh rule reads it as it reads the cut-off itself.
    if (names.includes("logged_in_at_ms")) {
      db.exec("ALTER TABLE jwt_refresh_families RENAME COLUMN logged_in_at_ms TO login_cut_off_ms");
    } else if (!names.includes("login_cut_off_ms")) {
      db.exec(
        "ALTER TABLE jwt_refresh_families ADD COLUMN login_cut_off_ms INTEGER NOT NULL DEFAULT 0",
      );
    }
  });

  const insert = db.prepare(
    `INSERT INTO jwt_refresh_tokens (token_hash, family_id, user_id, issued_at_ms, expires_at_ms, status)
     VALUES (@tokenHash, @familyId, @userId, @issuedAtMs, @expiresAtMs, 'active')`,
  );
  const insertFamily = db.prepare(
    `INSERT INTO jwt_refresh_families (family_id, user_id, expires_at_ms, login_cut_off_ms)
     VALUES (@familyId, @userId, @familyExpiresAtMs, @loginCutOffMs)`,
  );
  const familyOf = db.prepare<[string], { expires_at_ms: number; login_cut_off_ms: number }>(
    "SELECT expires_at_ms, login_cut_off_ms FROM jwt_refresh_families WHERE family_id = ?",
  );
  const byHash = db.prepare<[string], RefreshRow>(
    "SELECT * FROM jwt_refresh_tokens WHERE token_hash = ?",
  );
  // The compare-and-set at the heart of rotation: only a row still active can be retired.
  const retire = db.prepare<[string, number]>(
    `UPDATE jwt_refresh_tokens SET status = 'rotated'
     WHERE token_hash = ? AND status = 'active' AND expires_at_ms > ?`,
  );
  const revoke = db.prepare<[string]>(
    "UPDATE jwt_refresh_tokens SET status = 'revoked' WHERE family_id = ?",
  );
  const revokeUser = db.prepare<[string]>(
    "UPDATE jwt_refresh_tokens SET status = 'revoked' WHERE user_id = ? AND status <> 'revoked'",
  );
  const pruneTokens = db.prepare<[number]>(
    "DELETE FROM jwt_refresh_tokens WHERE expires_at_ms <= ?",
  );
  const pruneFamilies = db.prepare<[number]>(
    "DELETE FROM jwt_refresh_families WHERE expires_at_ms <= ?",
  );
  const deny = db.prepare<[string, number]>(
    "INSERT INTO jwt_denylist (jti, expires_at_ms) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING",
  );
  const isDenied = db.prepare<[string, number], { found: number }>(
    "SELECT 1 AS found FROM jwt_denylist WHERE jti = ? AND expires_at_ms > ?",
  );
  const pruneDenylist = db.prepare<[number]>("DELETE FROM jwt_denylist WHERE expires_at_ms <= ?");
  const usersTokens = db.prepare<[string, number, number], RefreshRow>(
    `SELECT * FROM jwt_refresh_tokens WHERE user_id = ? AND expires_at_ms > ?
     ORDER BY issued_at_ms DESC, family_id LIMIT ?`,
  );
  const countOthers = db
    .prepare<[number, string | null], number>(
      "SELECT COUNT(*) FROM jwt_refresh_tokens WHERE expires_at_ms > ? AND user_id IS NOT ?",
    )
    .pluck();
  const allDenied = db.prepare<[number, number], { jti: string; expires_at_ms: number }>(
    "SELECT * FROM jwt_denylist WHERE expires_at_ms > ? ORDER BY expires_at_ms DESC LIMIT ?",
  );

  const saveFirst = db.transaction((token: NewRefreshToken) => {
    insertFamily.run(token);
    insert.run(token);
  });

  // IMMEDIATE takes the write lock first, so another process sharing the file waits its turn.
  // Revoking cannot race a rotation as it can on PostgreSQL: SQLite has one writer per file, so
  // a revocation runs wholly before this transaction (the token is no longer active: refused)
  // or wholly after it (its UPDATE sees the token inserted here).
  const rotate = db.transaction(
    (presentedHash: string, next: RotatedRefreshToken, nowMs: number): RotationResult => {
      const current = byHash.get(presentedHash);
      if (!current) return { ok: false, reason: "unknown" };
      const { family_id: familyId, user_id: userId } = current;
      if (retire.run(presentedHash, nowMs).changes === 1) {
        const family = familyOf.get(familyId);
        const end = family?.expires_at_ms ?? current.expires_at_ms;
        const expiresAtMs = Math.min(next.expiresAtMs, end);
        insert.run({ ...next, expiresAtMs, familyId, userId });
        return {
          ok: true,
          userId,
          familyId,
          expiresAtMs,
          loginCutOffMs: family?.login_cut_off_ms ?? 0,
        };
      }
      if (current.status === "rotated") {
        revoke.run(familyId); // reuse: someone holds a copy, so the family dies
        return { ok: false, reason: "reused", userId, familyId };
      }
      return { ok: false, reason: current.status === "revoked" ? "revoked" : "expired" };
    },
  );

  // Pruning can wait: while another process holds the file, the next round does it.
  const prune = () => {
    const nowMs = Date.now();
    try {
      pruneTokens.run(nowMs);
      pruneFamilies.run(nowMs);
      pruneDenylist.run(nowMs);
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  };
  prune();
  const pruneTimer = setInterval(prune, pruneIntervalMs);
  pruneTimer.unref(); // never keeps the process alive

  // Each call is retried while another process holds the file, then fails with 503.
  return {
    kind: "sqlite",
    async saveRefreshToken(token) {
      await withBusyRetry(() => saveFirst.immediate(token));
    },
    async rotateRefreshToken(presentedHash, next, nowMs) {
      return withBusyRetry(() => rotate.immediate(presentedHash, next, nowMs));
    },
    async findRefreshToken(tokenHash) {
      const row = await withBusyRetry(() => byHash.get(tokenHash));
      return row && toRecord(row);
    },
    async revokeFamily(familyId) {
      await withBusyRetry(() => revoke.run(familyId));
    },
    async revokeUserFamilies(userId) {
      await withBusyRetry(() => revokeUser.run(userId));
    },
    async denyAccessToken({ jti, expiresAtMs }) {
      await withBusyRetry(() => deny.run(jti, expiresAtMs));
    },
    async isAccessTokenDenied(jti, nowMs) {
      return (await withBusyRetry(() => isDenied.get(jti, nowMs))) !== undefined;
    },
    async healthCheck() {
      // The shop's own health check reads the same file.
    },
    async snapshot(nowMs, userId) {
      return withBusyRetry(() => {
        const denylist: DenylistEntry[] = allDenied
          .all(nowMs, maxDemoStateRows)
          .map((row) => ({ jti: row.jti, expiresAtMs: row.expires_at_ms }));
        const rows = userId === undefined ? [] : usersTokens.all(userId, nowMs, maxDemoStateRows);
        const otherRefreshTokens = countOthers.get(nowMs, userId ?? null) ?? 0;
        return { refreshTokens: rows.map(toRecord), otherRefreshTokens, denylist };
      });
    },
    close() {
      clearInterval(pruneTimer);
    },
  };
}
