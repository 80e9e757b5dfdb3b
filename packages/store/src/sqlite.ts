import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { owaspScryptParams, type ScryptParams } from "./passwords";
import { prepareDatabase } from "./schema";
import { seedIfEmpty } from "./seed";
import { busyTimeoutMs, retryWhileBusy } from "./sqlite-busy";
import { createSqliteCartStore } from "./sqlite-carts";
import { createSqliteProductCatalogue } from "./sqlite-products";
import { createSqliteUserStore } from "./sqlite-users";
import type { ShopStore } from "./types";

export interface SqliteStoreOptions {
  /** A file path (its directory is created if missing) or ":memory:". */
  file: string;
  /** Password hashing cost; OWASP's by default. Only tests pass anything cheaper. */
  scrypt?: ScryptParams;
  /** Seed the products (and the demo users, below) into an empty store; true by default. */
  seed?: boolean;
  /**
   * Seed the demo users of docs/api.md too; true by default, for the local demo and the tests.
   * Apps pass false in production: their passwords are printed in the README.
   */
  demoUsers?: boolean;
}

/** A ShopStore on SQLite that also lends its connection to apps keeping their own tables. */
export interface SqliteShopStore extends ShopStore {
  readonly kind: "sqlite";
  /** The open connection, for an app's own tables (sessions, refresh tokens) in the same file. */
  readonly database: Database.Database;
}

/** Opens (creating if needed) the SQLite store at `file`, sets up the schema and seeds it. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteShopStore> {
  const scrypt = options.scrypt ?? owaspScryptParams;
  if (options.file !== ":memory:") {
    // The file holds password hashes, so only this user may read it: 0600, created before SQLite
    // opens it (SQLite gives its -wal and -shm files the same mode), in a new directory that
    // only this user may open. An existing directory keeps its mode.
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    closeSync(openSync(options.file, "a", 0o600));
  }
  const db = new Database(options.file, { timeout: busyTimeoutMs });
  try {
    await retryWhileBusy(() => prepareDatabase(db));
    if (options.seed ?? true) await seedIfEmpty(db, scrypt, options.demoUsers ?? true);
  } catch (error) {
    db.close();
    throw error;
  }

  return {
    kind: "sqlite",
    database: db,
    users: createSqliteUserStore(db, scrypt),
    products: createSqliteProductCatalogue(db),
    carts: createSqliteCartStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
