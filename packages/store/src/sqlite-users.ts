import { randomUUID } from "node:crypto";
import type { Role, User } from "@repo/contract";
import type { Database } from "better-sqlite3";
import {
  hashPassword,
  needsRehash,
  type ScryptParams,
  unmatchablePasswordHash,
  verifyPassword,
} from "./passwords";
import { withBusyRetry } from "./sqlite-busy";
import type { Account, NewUser, UserStore } from "./types";
import { canonicalizeUsername } from "./usernames";

interface UserRow {
  id: string;
  username_canonical: string;
  username: string;
  display_name: string;
  password_hash: string;
  created_at: string;
  role: Role;
  disabled: number; // 0 or 1: SQLite has no boolean
  tokens_valid_after_ms: number;
  logins_valid_after_ms: number;
}

/**
 * The row for a new account; throws if the username cannot be canonicalised (a caller bug).
 * Only the seed passes a role: every account created through the API starts as a customer.
 */
export function newUserRow(input: NewUser, passwordHash: string, role: Role = "customer"): UserRow {
  const canonical = canonicalizeUsername(input.username);
  if (!canonical) throw new RangeError("invalid username");
  return {
    id: randomUUID(), // random, so ids say nothing about how many accounts exist
    username_canonical: canonical,
    username: input.username.normalize("NFKC").trim(),
    display_name: input.displayName,
    password_hash: passwordHash,
    created_at: new Date().toISOString(),
    role,
    disabled: 0,
    tokens_valid_after_ms: 0,
    logins_valid_after_ms: 0,
  };
}

/** Inserts a user row; `changes` is 0 when the canonical username is taken. */
export function insertUserStatement(db: Database) {
  return db.prepare<[UserRow]>(
    `INSERT INTO users (id, username_canonical, username, display_name, password_hash, created_at,
                        role, disabled, tokens_valid_after_ms, logins_valid_after_ms)
     VALUES (@id, @username_canonical, @username, @display_name, @password_hash, @created_at,
             @role, @disabled, @tokens_valid_after_ms, @logins_valid_after_ms)
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
  const all = db.prepare<[], UserRow>("SELECT * FROM users ORDER BY username_canonical");
  // One statement reads the old values and writes the new, so two staff members changing one
  // account at once cannot lose a change; the cut-off moves only if something really changed.
  const update = db.prepare<
    [{ id: string; role: Role | null; disabled: number | null; nowMs: number }],
    UserRow
  >(
    `UPDATE users SET
       role = coalesce(@role, role),
       disabled = coalesce(@disabled, disabled),
       tokens_valid_after_ms = CASE
         WHEN coalesce(@role, role) <> role OR coalesce(@disabled, disabled) <> disabled
         THEN max(tokens_valid_after_ms + 1, @nowMs) ELSE tokens_valid_after_ms END
     WHERE id = @id RETURNING *`,
  );
  // Both cut-offs move strictly forward at every change, 1 ms at least, even if `nowMs` is not
  // later (two changes in one millisecond, or another instance's clock a little behind): each
  // credential keeps the value it was issued under (an access token's `cutoff_ms`, a login's
  // cut-off) and any other value must mean a change since.
  const cutOff = db.prepare<[{ id: string; nowMs: number }]>(
    `UPDATE users SET tokens_valid_after_ms = max(tokens_valid_after_ms + 1, @nowMs),
       logins_valid_after_ms = max(logins_valid_after_ms + 1, @nowMs)
     WHERE id = @id`,
  );
  // Only if the hash is still the one checked, as in replaceHash; both cut-offs move with it.
  const setPassword = db.prepare<
    [{ hash: string; nowMs: number; id: string; checkedHash: string }],
    UserRow
  >(
    `UPDATE users SET password_hash = @hash,
       tokens_valid_after_ms = max(tokens_valid_after_ms + 1, @nowMs),
       logins_valid_after_ms = max(logins_valid_after_ms + 1, @nowMs)
     WHERE id = @id AND password_hash = @checkedHash RETURNING *`,
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

    async findAccountById(id) {
      const row = await withBusyRetry(() => byId.get(id));
      return row && toAccount(row);
    },

    async listAccounts() {
      return (await withBusyRetry(() => all.all())).map(toAccount);
    },

    async updateAccount(id, change, nowMs) {
      const disabled = change.disabled === undefined ? null : Number(change.disabled);
      const params = { id, role: change.role ?? null, disabled, nowMs };
      const row = await withBusyRetry(() => update.get(params));
      return row && toAccount(row);
    },

    async cutOffTokens(id, nowMs) {
      await withBusyRetry(() => cutOff.run({ id, nowMs }));
    },

    async changePassword(id, currentPassword, newPassword, nowMs) {
      const row = await withBusyRetry(() => byId.get(id));
      if (!row || row.disabled) {
        await verifyPassword(currentPassword, dummyHash); // the same work as a wrong password
        return undefined;
      }
      if (!(await verifyPassword(currentPassword, row.password_hash))) return undefined;
      const newHash = await hashPassword(newPassword, scrypt);
      const saved = await withBusyRetry(() =>
        setPassword.get({ hash: newHash, nowMs, id, checkedHash: row.password_hash }),
      );
      return saved && toAccount(saved); // none: changed meanwhile by another request, which wins
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
      // Checked after the hash, so a disabled account costs the same work and gives the same
      // answer as a wrong password: nobody learns that it exists but is disabled.
      if (row.disabled) return undefined;
      // OWASP Password Storage Cheat Sheet, "Upgrading the Work Factor": the password is known
      // only now, at a successful login, so a hash weaker than the store's parameters is redone.
      if (needsRehash(row.password_hash, scrypt)) {
        const newHash = await hashPassword(password, scrypt);
        await withBusyRetry(() => replaceHash.run(newHash, row.id, row.password_hash));
      }
      return toAccount(row); // as read with the hash: the cut-offs this login is checked under
    },

    async accountWithPassword(username, password) {
      const row = await findRow(username);
      return row && (await verifyPassword(password, row.password_hash))
        ? toAccount(row)
        : undefined;
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
      return { ok: true, user: toAccount(row) };
    },
  };
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
}

function toAccount(row: UserRow): Account {
  return {
    ...toUser(row),
    disabled: row.disabled === 1,
    tokensValidAfterMs: row.tokens_valid_after_ms,
    loginsValidAfterMs: row.logins_valid_after_ms,
  };
}
