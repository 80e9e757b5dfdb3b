import { maxQuantityPerLine } from "@repo/contract";
import type { Database } from "better-sqlite3";
import { busyTimeoutMs } from "./sqlite-busy";

// Idempotent, so every process may run it on open.
const schemaSql = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username_canonical TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'staff')),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  tokens_valid_after_ms INTEGER NOT NULL DEFAULT 0,
  logins_valid_after_ms INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS products (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  position INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS cart_items (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND ${maxQuantityPerLine}),
  PRIMARY KEY (user_id, product_id)
) WITHOUT ROWID;
`;

/**
 * Columns added to `users` after the first release: a file made before them gains each one, its
 * rows getting the default (every existing user a customer, enabled, never cut off).
 */
const addedUserColumns = [
  ["role", "TEXT NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'staff'))"],
  ["disabled", "INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))"],
  ["tokens_valid_after_ms", "INTEGER NOT NULL DEFAULT 0"],
  ["logins_valid_after_ms", "INTEGER NOT NULL DEFAULT 0"],
] as const;

/** Adds the columns an older file lacks; run inside the schema transaction, so only once. */
function addMissingColumns(db: Database): void {
  const existing = new Set(
    db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('users')")
      .all()
      .map((column) => column.name),
  );
  for (const [name, definition] of addedUserColumns) {
    if (!existing.has(name)) db.exec(`ALTER TABLE users ADD COLUMN ${name} ${definition}`);
  }
}

/** Sets the connection up for two processes sharing one file, and creates missing tables. */
export function prepareDatabase(db: Database): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`); // short: longer waits are async (sqlite-busy.ts)
  db.pragma("journal_mode = WAL"); // readers never block the writer, nor it them
  db.pragma("synchronous = NORMAL"); // safe with WAL; a power cut may lose the last commit only
  db.pragma("foreign_keys = ON");
  // IMMEDIATE takes the write lock up front, so two processes creating or migrating tables queue
  // up, and the second finds the columns the first added.
  db.transaction(() => {
    db.exec(schemaSql);
    addMissingColumns(db);
  }).immediate();
}
