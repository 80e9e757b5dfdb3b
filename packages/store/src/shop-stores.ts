import type { ScryptParams } from "./passwords";
import { openPostgresStore, type PostgresShopStore } from "./postgres";
import { openSqliteStore, type SqliteShopStore } from "./sqlite";

/** Where the shop keeps users, products and carts (SHOP_STORE, with DATABASE_URL for postgres). */
export type ShopStoreLocation =
  | { kind: "sqlite"; file: string }
  | { kind: "postgres"; url: string };

/** An open shop store; `kind` tells which connection `database` is, for an app's own tables. */
export type OpenedShopStore = SqliteShopStore | PostgresShopStore;

/** Opens the shop store at `location`, migrated and seeded; the same options for both kinds. */
export function openShopStore(
  location: ShopStoreLocation,
  options: { demoUsers: boolean; scrypt?: ScryptParams; log?: (message: string) => void },
): Promise<OpenedShopStore> {
  const { log, ...common } = options;
  return location.kind === "postgres"
    ? openPostgresStore({ url: location.url, ...common, ...(log ? { log } : {}) })
    : openSqliteStore({ file: location.file, ...common });
}
