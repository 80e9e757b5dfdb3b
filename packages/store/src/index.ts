// Users, password hashing, products and carts behind async interfaces; SQLite by default.
// The store contract tests live at "@repo/store/contract-tests", so vitest stays out of apps.

export { removeDemoAccounts } from "./demo-accounts";
export { newPasswordProblem } from "./password-policy";
export {
  hashPassword,
  insecureFastScryptParamsForTests,
  needsRehash,
  owaspScryptParams,
  parsePasswordHash,
  type ScryptParams,
  verifyPassword,
} from "./passwords";
export type { PgDatabase, PgResult, PgTransaction } from "./pg-database";
export { createPgThrottleStore } from "./pg-throttle";
export { openPostgresStore, type PostgresShopStore, type PostgresStoreOptions } from "./postgres";
export { publicUser } from "./public-user";
export { demoProducts } from "./seed";
export { type OpenedShopStore, openShopStore, type ShopStoreLocation } from "./shop-stores";
export { openSqliteStore, type SqliteShopStore, type SqliteStoreOptions } from "./sqlite";
export { ensureSchema, isBusy, withBusyRetry } from "./sqlite-busy";
export { createSqliteThrottleStore } from "./sqlite-throttle";
export { StoreUnavailableError } from "./store-unavailable";
export {
  createMemoryThrottleStore,
  decideReservation,
  type ThrottleCounter,
  type ThrottleLimit,
  type ThrottleReservation,
  type ThrottleStore,
  type ThrottleWindow,
} from "./throttle";
export type {
  Account,
  AccountChange,
  CartChange,
  CartStore,
  CartSummaryRow,
  CreateUserResult,
  NewUser,
  ProductCatalogue,
  ShopStore,
  UserStore,
} from "./types";
export { canonicalizeUsername } from "./usernames";
