import type { User } from "@repo/contract";
import {
  hashPassword,
  needsRehash,
  type ScryptParams,
  unmatchablePasswordHash,
  verifyPassword,
} from "./passwords";
import type { PgDatabase } from "./pg-database";
import { newUserRow } from "./sqlite-users";
import type { UserStore } from "./types";
import { canonicalizeUsername } from "./usernames";

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
}

/** Inserts a user row; changes nothing when the canonical username is taken. */
export const insertPgUserSql = `
INSERT INTO users (id, username_canonical, username, display_name, password_hash, created_at)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username_canonical) DO NOTHING`;

/** The values of `insertPgUserSql`, in order. */
export function pgUserValues(row: ReturnType<typeof newUserRow>): unknown[] {
  return [
    row.id,
    row.username_canonical,
    row.username,
    row.display_name,
    row.password_hash,
    row.created_at,
  ];
}

const userColumns = "SELECT id, username, display_name, password_hash FROM users";

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

    async findUserByUsername(username) {
      const row = await findRow(username);
      return row && toUser(row);
    },

    async verifyCredentials(username, password) {
      const row = await findRow(username);
      if (!row) {
        // As in SQLite: an unknown username costs one key derivation, as a wrong password does.
        await verifyPassword(password, dummyHash);
        return undefined;
      }
      if (!(await verifyPassword(password, row.password_hash))) return undefined;
      // OWASP Password Storage Cheat Sheet, "Upgrading the Work Factor", as in SQLite; only if
      // the hash is still the one checked, so a concurrent change is never overwritten.
      if (needsRehash(row.password_hash, scrypt)) {
        await db.query("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3", [
          await hashPassword(password, scrypt),
          row.id,
          row.password_hash,
        ]);
      }
      return toUser(row);
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
      const { rowCount } = await db.query(insertPgUserSql, pgUserValues(row));
      if (rowCount === 0) return { ok: false, reason: "username_taken" };
      return { ok: true, user: toUser(row) };
    },
  };
}

function toUser(row: Pick<UserRow, "id" | "username" | "display_name">): User {
  return { id: row.id, username: row.username, displayName: row.display_name };
}
