import { randomUUID } from "node:crypto";
import type { User } from "@repo/contract";
import type { Database } from "better-sqlite3";
import {
  hashPassword,
  needsRehash,
  type ScryptParams,
  unmatchablePasswordHash,
  verifyPassword,
} from "./passwords";
import { withBusyRetry } from "./sqlite-busy";
import type { NewUser, UserStore } from "./types";
import { canonicalizeUsername } from "./usernames";

interface UserRow {
  id: string;
  username_canonical: string;
  username: string;
  display_name: string;
  password_hash: string;
  created_at: string;
}

/** The row for a new account; throws if the username cannot be canonicalised (a caller bug). */
export function newUserRow(input: NewUser, passwordHash: string): UserRow {
  const canonical = canonicalizeUsername(input.username);
  if (!canonical) throw new RangeError("invalid username");
  return {
    id: randomUUID(), // random, so ids say nothing about how many accounts exist
    username_canonical: canonical,
    username: input.username.normalize("NFKC").trim(),
    display_name: input.displayName,
    password_hash: passwordHash,
    created_at: new Date().toISOString(),
  };
}

/** Inserts a user row; `changes` is 0 when the canonical username is taken. */
export function insertUserStatement(db: Database) {
  return db.prepare<[UserRow]>(
    `INSERT INTO users (id, username_canonical, username, display_name, password_hash, created_at)
     VALUES (@id, @username_canonical, @username, @display_name, @password_hash, @created_at)
     ON CONFLICT (username_canonical) DO NOTHING`,
  );
}

/** The users table behind the async UserStore interface. */
export function createSqliteUserStore(db: Database, scrypt: ScryptParams): UserStore {
  const byId = db.prepare<[string], UserRow>("SELECT * FROM users WHERE id = ?");
  const byCanonical = db.prepare<[string], UserRow>(
    "SELECT * FROM users WHERE username_canonical = ?",
  );
  const insert = insertUserStatement(db);
  // Only if the hash is still the one checked, so a concurrent change is never overwritten.
  const replaceHash = db.prepare<[string, string, string]>(
    "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
  );
  const dummyHash = unmatchablePasswordHash(scrypt);

  // Each query is retried while another process holds the file (sqlite-busy.ts).
  const findRow = (username: string) => {
    const canonical = canonicalizeUsername(username);
    return canonical === undefined ? undefined : withBusyRetry(() => byCanonical.get(canonical));
  };

  return {
    async findUserById(id) {
      const row = await withBusyRetry(() => byId.get(id));
      return row && toUser(row);
    },

    async findUserByUsername(username) {
      const row = await findRow(username);
      return row && toUser(row);
    },

    async verifyCredentials(username, password) {
      const row = await findRow(username);
      if (!row) {
        // Verify anyway, against a hash no password matches, so an unknown username costs one
        // key derivation, as a wrong password does, and timing does not tell them apart.
        await verifyPassword(password, dummyHash);
        return undefined;
      }
      if (!(await verifyPassword(password, row.password_hash))) return undefined;
      // OWASP Password Storage Cheat Sheet, "Upgrading the Work Factor": the password is known
      // only now, at a successful login, so a hash weaker than the store's parameters is redone.
      if (needsRehash(row.password_hash, scrypt)) {
        const newHash = await hashPassword(password, scrypt);
        await withBusyRetry(() => replaceHash.run(newHash, row.id, row.password_hash));
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
      const { changes } = await withBusyRetry(() => insert.run(row));
      if (changes === 0) return { ok: false, reason: "username_taken" };
      return { ok: true, user: toUser(row) };
    },
  };
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, displayName: row.display_name };
}
