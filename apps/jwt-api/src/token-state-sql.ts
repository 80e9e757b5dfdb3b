// What the two SQL token state stores (SQLite and PostgreSQL) share: the row of a refresh token
// as both tables hold it, and how often expired rows are deleted.
import type { RefreshTokenRecord, RefreshTokenStatus } from "./token-state";

/** How often expired refresh tokens, families and denylist entries are deleted. */
export const pruneIntervalMs = 15 * 60 * 1000; // 15 minutes

/** A row of `jwt_refresh_tokens`, in both databases. */
export interface RefreshRow {
  token_hash: string;
  family_id: string;
  user_id: string;
  issued_at_ms: number;
  expires_at_ms: number;
  status: RefreshTokenStatus;
}

export const toRecord = (row: RefreshRow): RefreshTokenRecord => ({
  tokenHash: row.token_hash,
  familyId: row.family_id,
  userId: row.user_id,
  issuedAtMs: row.issued_at_ms,
  expiresAtMs: row.expires_at_ms,
  status: row.status,
});
