import { setTimeout as sleep } from "node:timers/promises";
import { owaspScryptParams, type ScryptParams } from "./passwords";
import { createPgCartStore } from "./pg-carts";
import { openPgDatabase, type PgDatabase } from "./pg-database";
import { createPgProductCatalogue } from "./pg-products";
import { shopMigrations } from "./pg-schema";
import { seedPgIfEmpty } from "./pg-seed";
import { createPgUserStore } from "./pg-users";
import { StoreUnavailableError } from "./store-unavailable";
import type { ShopStore } from "./types";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`; never logged, it may hold a password. */
  url: string;
  /** Password hashing cost; OWASP's by default. Only tests pass anything cheaper. */
  scrypt?: ScryptParams;
  /** Seed the products (and the demo users, below) into an empty store; true by default. */
  seed?: boolean;
  /** Seed the demo users of docs/api.md too; true by default. Apps pass false in production. */
  demoUsers?: boolean;
  /** How long a start waits for PostgreSQL to answer; 10 s by default. */
  startupWaitMs?: number;
  log?: (message: string) => void;
}

/** A ShopStore on PostgreSQL that also lends its pool to apps keeping their own tables. */
export interface PostgresShopStore extends ShopStore {
  readonly kind: "postgres";
  /** The pool, for an app's own tables (sessions, refresh tokens) in the same database. */
  readonly database: PgDatabase;
}

/**
 * Opens the PostgreSQL store: migrates the schema and seeds an empty store, once, however many
 * instances start at the same moment. A PostgreSQL that does not answer yet is waited for
 * (`startupWaitMs`), so instances may start before it; after that a start fails.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresShopStore> {
  const scrypt = options.scrypt ?? owaspScryptParams;
  const log = options.log ?? console.error;
  const db = openPgDatabase(options.url, log);
  const seed = options.seed ?? true;
  const deadline = Date.now() + (options.startupWaitMs ?? 10_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await db.migrate("shop", shopMigrations, async (tx) => {
        if (seed) await seedPgIfEmpty(tx, scrypt, options.demoUsers ?? true);
      });
      break;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || Date.now() > deadline) {
        await db.close();
        throw error;
      }
      if (attempt === 1) log("postgres: not reachable at start; retrying");
      await sleep(Math.min(100 * 2 ** attempt, 1000));
    }
  }

  return {
    kind: "postgres",
    database: db,
    users: createPgUserStore(db, scrypt),
    products: createPgProductCatalogue(db),
    carts: createPgCartStore(db),
    close: () => db.close(),
  };
}
