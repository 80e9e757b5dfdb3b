import { maxDemoStateRows } from "@repo/shop";
import type { PgDatabase, PgTransaction } from "@repo/store";
import type { DenylistEntry, RotationResult, TokenStateStore } from "./token-state";
import { pruneIntervalMs, type RefreshRow, toRecord } from "./token-state-sql";

// Numbered steps in the shop's database, beside users and carts, applied once each.
const migrations = [
  `
CREATE TABLE jwt_refresh_tokens (
  token_hash text PRIMARY KEY,
  family_id text NOT NULL,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  issued_at_ms bigint NOT NULL,
  expires_at_ms bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'rotated', 'revoked'))
);
CREATE INDEX jwt_refresh_tokens_family ON jwt_refresh_tokens (family_id);
CREATE INDEX jwt_refresh_tokens_by_expiry ON jwt_refresh_tokens (expires_at_ms);

-- One row per login: when its tokens stop being renewable, however often they rotate.
CREATE TABLE jwt_refresh_families (
  family_id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at_ms bigint NOT NULL
);
CREATE INDEX jwt_refresh_families_by_expiry ON jwt_refresh_families (expires_at_ms);

CREATE TABLE jwt_denylist (
  jti text PRIMARY KEY,
  expires_at_ms bigint NOT NULL
);
CREATE INDEX jwt_denylist_by_expiry ON jwt_denylist (expires_at_ms);
`,
  // A user's tokens, for the demo state and to revoke them all at once.
  "CREATE INDEX jwt_refresh_tokens_by_user ON jwt_refresh_tokens (user_id);",
  // The family row becomes the lock point and keeps whether the family is revoked (see rotate).
  `
ALTER TABLE jwt_refresh_families ADD COLUMN revoked boolean NOT NULL DEFAULT false;
UPDATE jwt_refresh_families AS family SET revoked = true WHERE EXISTS (
  SELECT 1 FROM jwt_refresh_tokens AS token
  WHERE token.family_id = family.family_id AND token.status = 'revoked');
CREATE INDEX jwt_refresh_families_by_user ON jwt_refresh_families (user_id);
`,
  // When each login happened, for the account's logins cut-off; 0, older than any, for the rest.
  "ALTER TABLE jwt_refresh_families ADD COLUMN logged_in_at_ms bigint NOT NULL DEFAULT 0;",
  // Each login now keeps the logins cut-off its password was checked under, a version no change
  // saved during the check can leave behind. A login's time, kept until now, is a moment at or
  // after the cut-off it logged in under, so the refresh rule reads the old values the same way.
  "ALTER TABLE jwt_refresh_families RENAME COLUMN logged_in_at_ms TO login_cut_off_ms;",
];

const insertToken = `
INSERT INTO jwt_refresh_tokens (token_hash, family_id, user_id, issued_at_ms, expires_at_ms, status)
VALUES ($1, $2, $3, $4, $5, 'active')`;

/**
 * Marks families revoked, then their tokens, in the caller's transaction: the family rows first,
 * the lock a rotation takes first too (see rotateRefreshToken).
 */
async function revokeFamilies(tx: PgTransaction, familyIds: string[]): Promise<void> {
  if (familyIds.length === 0) return;
  await tx.query("UPDATE jwt_refresh_families SET revoked = true WHERE family_id = ANY($1)", [
    familyIds,
  ]);
  await tx.query(
    "UPDATE jwt_refresh_tokens SET status = 'revoked' WHERE family_id = ANY($1) AND status <> 'revoked'",
    [familyIds],
  );
}

/** The PostgreSQL token state store, with a way to stop its pruning timer. */
export interface PostgresTokenStateStore extends TokenStateStore {
  /** Stops the pruning timer; the pool itself belongs to the shop store. */
  close(): void;
}

/**
 * Refresh tokens and the denylist in the shop's PostgreSQL database, which every instance of
 * the backend shares: a token issued by one can be refreshed or revoked through another. The
 * same rules as SQLite: expired rows are never returned and are pruned in the background.
 */
export async function createPostgresTokenState(
  db: PgDatabase,
  log: (message: string) => void = console.error,
): Promise<PostgresTokenStateStore> {
  await db.migrate("jwt-api", migrations);

  const prune = async () => {
    const nowMs = Date.now();
    for (const table of ["jwt_refresh_tokens", "jwt_refresh_families", "jwt_denylist"]) {
      await db.query(`DELETE FROM ${table} WHERE expires_at_ms <= $1`, [nowMs]);
    }
  };
  // Pruning can wait: while the database is down, the next round does it.
  const pruneQuietly = () => {
    prune().catch((error: unknown) => {
      log(`jwt-api: pruning expired token state failed: ${(error as Error).message}`);
    });
  };
  pruneQuietly();
  const pruneTimer = setInterval(pruneQuietly, pruneIntervalMs);
  pruneTimer.unref(); // never keeps the process alive

  return {
    kind: "postgres",
    async saveRefreshToken(token) {
      // The family and its first token in one statement: both or neither.
      await db.query(
        `WITH family AS (
           INSERT INTO jwt_refresh_families (family_id, user_id, expires_at_ms, login_cut_off_ms)
           VALUES ($2, $3, $6, $7))
         ${insertToken}`,
        [
          token.tokenHash,
          token.familyId,
          token.userId,
          token.issuedAtMs,
          token.expiresAtMs,
          token.familyExpiresAtMs,
          token.loginCutOffMs,
        ],
      );
    },

    rotateRefreshToken(presentedHash, next, nowMs) {
      return db.transaction(async (tx): Promise<RotationResult> => {
        // A token's family never changes, so it is safe to read without a lock.
        const token = await tx.query<{ family_id: string }>(
          "SELECT family_id FROM jwt_refresh_tokens WHERE token_hash = $1",
          [presentedHash],
        );
        const familyId = token.rows[0]?.family_id;
        if (familyId === undefined) return { ok: false, reason: "unknown" };
        // Every writer of a family locks its row first: rotations, revocations and reuse. Under
        // READ COMMITTED, a revoking UPDATE of the token rows alone would wait for this
        // transaction but never see the token it inserts, leaving that one active after logout.
        // Here a revocation either lands first (we read `revoked` and refuse) or waits for our
        // commit, and its own UPDATE of the token rows then sees the new one.
        const family = await tx.query<{
          revoked: boolean;
          expires_at_ms: number;
          login_cut_off_ms: number;
        }>(
          `SELECT revoked, expires_at_ms, login_cut_off_ms FROM jwt_refresh_families
           WHERE family_id = $1 FOR UPDATE`,
          [familyId],
        );
        const end = family.rows[0];
        // Pruned: a family's row goes only once its absolute end has passed.
        if (!end) return { ok: false, reason: "expired" };
        if (end.revoked) return { ok: false, reason: "revoked" };
        const { rows } = await tx.query<RefreshRow>(
          "SELECT * FROM jwt_refresh_tokens WHERE token_hash = $1 FOR UPDATE",
          [presentedHash],
        );
        const current = rows[0];
        if (!current) return { ok: false, reason: "unknown" }; // pruned meanwhile
        const { user_id: userId } = current;
        if (current.status === "active" && current.expires_at_ms > nowMs) {
          await tx.query("UPDATE jwt_refresh_tokens SET status = 'rotated' WHERE token_hash = $1", [
            presentedHash,
          ]);
          const expiresAtMs = Math.min(next.expiresAtMs, end.expires_at_ms);
          await tx.query(insertToken, [
            next.tokenHash,
            familyId,
            userId,
            next.issuedAtMs,
            expiresAtMs,
          ]);
          return { ok: true, userId, familyId, expiresAtMs, loginCutOffMs: end.login_cut_off_ms };
        }
        if (current.status === "rotated") {
          // Reuse: someone holds a copy, so the whole family dies.
          await revokeFamilies(tx, [familyId]);
          return { ok: false, reason: "reused", userId, familyId };
        }
        return { ok: false, reason: current.status === "revoked" ? "revoked" : "expired" };
      });
    },

    async findRefreshToken(tokenHash) {
      const { rows } = await db.query<RefreshRow>(
        "SELECT * FROM jwt_refresh_tokens WHERE token_hash = $1",
        [tokenHash],
      );
      return rows[0] && toRecord(rows[0]);
    },

    async revokeFamily(familyId) {
      await db.transaction((tx) => revokeFamilies(tx, [familyId]));
    },

    async revokeUserFamilies(userId) {
      await db.transaction(async (tx) => {
        // Locked in one order, so two of these for one user never deadlock each other.
        const { rows } = await tx.query<{ family_id: string }>(
          `SELECT family_id FROM jwt_refresh_families WHERE user_id = $1 AND NOT revoked
           ORDER BY family_id FOR UPDATE`,
          [userId],
        );
        await revokeFamilies(
          tx,
          rows.map((row) => row.family_id),
        );
      });
    },

    async denyAccessToken({ jti, expiresAtMs }) {
      await db.query(
        "INSERT INTO jwt_denylist (jti, expires_at_ms) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING",
        [jti, expiresAtMs],
      );
    },

    async isAccessTokenDenied(jti, nowMs) {
      const { rowCount } = await db.query(
        "SELECT 1 FROM jwt_denylist WHERE jti = $1 AND expires_at_ms > $2",
        [jti, nowMs],
      );
      return rowCount > 0;
    },

    async healthCheck() {
      // The shop's own health check asks the same database.
    },

    async snapshot(nowMs, userId) {
      const tokens = await db.query<RefreshRow>(
        `SELECT * FROM jwt_refresh_tokens WHERE user_id = $1 AND expires_at_ms > $2
         ORDER BY issued_at_ms DESC, family_id LIMIT $3`,
        [userId ?? null, nowMs, maxDemoStateRows],
      );
      const others = await db.query<{ count: string }>(
        `SELECT COUNT(*) AS count FROM jwt_refresh_tokens
         WHERE expires_at_ms > $1 AND user_id IS DISTINCT FROM $2`,
        [nowMs, userId ?? null],
      );
      const denied = await db.query<{ jti: string; expires_at_ms: number }>(
        `SELECT jti, expires_at_ms FROM jwt_denylist WHERE expires_at_ms > $1
         ORDER BY expires_at_ms DESC LIMIT $2`,
        [nowMs, maxDemoStateRows],
      );
      const denylist: DenylistEntry[] = denied.rows.map((row) => ({
        jti: row.jti,
        expiresAtMs: row.expires_at_ms,
      }));
      const otherRefreshTokens = Number(others.rows[0]?.count ?? 0);
      return { refreshTokens: tokens.rows.map(toRecord), otherRefreshTokens, denylist };
    },

    close() {
      clearInterval(pruneTimer);
    },
  };
}
