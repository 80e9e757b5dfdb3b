import type { Role, User } from "@repo/contract";
import {
  hashPassword,
  needsRehash,
  type ScryptParams,
  unmatchablePasswordHash,
  verifyPassword,
} from "./passwords";
import type { PgDatabase } from "./pg-database";
import { newUserRow } from "./sqlite-users";
import type { Account, UserStore } from "./types";
import { canonicalizeUsername } from "./usernames";

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
  tokens_valid_after_ms: number; // bigint, read as a number (pg-database.ts)
  logins_valid_after_ms: number;
}

/** Inserts a user row; changes nothing when the canonical username is taken. */
export const insertPgUserSql = `
INSERT INTO users (id, username_canonical, username, display_name, password_hash, created_at, role)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username_canonical) DO NOTHING`;

/** The values of `insertPgUserSql`, in order. */
export function pgUserValues(row: ReturnType<typeof newUserRow>): unknown[] {
  return [
    row.id,
    row.username_canonical,
    row.username,
    row.display_name,
    row.password_hash,
    row.created_at,
    row.role,
  ];
}

const columnList =
  "id, username, display_name, password_hash, role, disabled, tokens_valid_after_ms, logins_valid_after_ms";
const userColumns = `SELECT ${columnList} FROM users`;

/** The users table behind the async UserStore interface. */
export function createPgUserStore(db: PgDatabase, scrypt: ScryptParams): UserStore {
  const dummyHash = unmatchablePasswordHash(scrypt);

  const findRow = async (username: string) => {
    const canonical = canonicalizeUsername(username);
    if (canonical === undefined) return undefined;
    const { rows } = await db.query<UserRow>(`${userColumns} WHERE username_canonical = $1`, [
      canonical,
    ]);
    return rows[0];
  };

  return {
    async findUserById(id) {
      const { rows } = await db.query<UserRow>(`${userColumns} WHERE id = $1`, [id]);
      return rows[0] && toUser(rows[0]);
    },

    async findAccountById(id) {
      const { rows } = await db.query<UserRow>(`${userColumns} WHERE id = $1`, [id]);
      return rows[0] && toAccount(rows[0]);
    },

    async listAccounts() {
      const { rows } = await db.query<UserRow>(`${userColumns} ORDER BY username_canonical`);
      return rows.map(toAccount);
    },

    async updateAccount(id, change, nowMs) {
      // One statement, as in SQLite: the cut-off moves only if something really changed.
      const { rows } = await db.query<UserRow>(
        `UPDATE users SET
           role = coalesce($2, role),
           disabled = coalesce($3, disabled),
           tokens_valid_after_ms = CASE
             WHEN coalesce($2, role) <> role OR coalesce($3, disabled) <> disabled
             THEN greatest(tokens_valid_after_ms + 1, $4) ELSE tokens_valid_after_ms END
         WHERE id = $1 RETURNING ${columnList}`,
        [id, change.role ?? null, change.disabled ?? null, nowMs],
      );
      return rows[0] && toAccount(rows[0]);
    },

    async cutOffTokens(id, nowMs) {
      // Strictly forward, as in SQLite: each credential keeps the value it was issued under.
      await db.query(
        `UPDATE users SET tokens_valid_after_ms = greatest(tokens_valid_after_ms + 1, $2),
           logins_valid_after_ms = greatest(logins_valid_after_ms + 1, $2)
         WHERE id = $1`,
        [id, nowMs],
      );
    },

    async changePassword(id, currentPassword, newPassword, nowMs) {
      const { rows } = await db.query<UserRow>(`${userColumns} WHERE id = $1`, [id]);
      const row = rows[0];
      if (!row || row.disabled) {
        await verifyPassword(currentPassword, dummyHash); // the same work as a wrong password
        return undefined;
      }
      if (!(await verifyPassword(currentPassword, row.password_hash))) return undefined;
      const { rows: saved } = await db.query<UserRow>(
        `UPDATE users SET password_hash = $1,
           tokens_valid_after_ms = greatest(tokens_valid_after_ms + 1, $2),
           logins_valid_after_ms = greatest(logins_valid_after_ms + 1, $2)
         WHERE id = $3 AND password_hash = $4 RETURNING ${columnList}`,
        [await hashPassword(newPassword, scrypt), nowMs, id, row.password_hash],
      );
      return saved[0] && toAccount(saved[0]); // none: changed meanwhile by another request, which wins
    },

    async findUserByUsername(username) {
      const row = await findRow(username);
      return row && toUser(row);
    },

    async accountWithPassword(username, password) {
      const row = await findRow(username);
      return row && (await verifyPassword(password, row.password_hash))
        ? toAccount(row)
        : undefined;
    },

    async verifyCredentials(username, password) {
      const row = await findRow(username);
      if (!row) {
        // As in SQLite: an unknown username costs one key derivation, as a wrong password does.
        await verifyPassword(password, dummyHash);
        return undefined;
      }
      if (!(await verifyPassword(password, row.password_hash))) return undefined;
      // After the hash, as in SQLite: a disabled account looks like a wrong password.
      if (row.disabled) return undefined;
      // OWASP Password Storage Cheat Sheet, "Upgrading the Work Factor", as in SQLite; only if
      // the hash is still the one checked, so a concurrent change is never overwritten.
      if (needsRehash(row.password_hash, scrypt)) {
        await db.query("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3", [
          await hashPassword(password, scrypt),
          row.id,
          row.password_hash,
        ]);
      }
      return toAccount(row); // as read with the hash: the cut-offs this login is checked under
    },

    async createUser(input) {
      if (canonicalizeUsername(input.username) === undefined) {
        return { ok: false, reason: "invalid_username" };
      }
      if (!input.displayName.trim() || !input.password) {
        throw new RangeError("createUser needs a display name and a password");
      }
      const row = newUserRow(input, await hashPassword(input.password, scrypt));
      // One statement checks and inserts, so two sign-ups for one name cannot both succeed.
      const { rows } = await db.query<UserRow>(
        `${insertPgUserSql} RETURNING ${columnList}`,
        pgUserValues(row),
      );
      if (!rows[0]) return { ok: false, reason: "username_taken" };
      return { ok: true, user: toAccount(rows[0]) };
    },
  };
}

function toUser(row: Pick<UserRow, "id" | "username" | "display_name" | "role">): User {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
}

function toAccount(row: UserRow): Account {
  return {
    ...toUser(row),
    disabled: row.disabled,
    tokensValidAfterMs: row.tokens_valid_after_ms,
    loginsValidAfterMs: row.logins_valid_after_ms,
  };
}
