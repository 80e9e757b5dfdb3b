import {
  createPgThrottleStore,
  createSqliteThrottleStore,
  type OpenedShopStore,
  type ThrottleStore,
} from "@repo/store";
import { LoginThrottle, type LoginThrottleOptions } from "./login-throttle";
import { closeRedis, connectRedis } from "./redis";
import { createRedisThrottleStore } from "./redis-throttle";

/** Redis keys of login attempt counters start with this. */
const redisThrottlePrefix = "login-throttle:";

/** The login throttle as `index.ts` opens it, with where it counts and a way to close it. */
export interface LoginThrottleHandle {
  throttle: LoginThrottle;
  kind: "postgres" | "redis" | "sqlite";
  close(): Promise<void>;
}

/**
 * Opens the login throttle both backends share, in a store every instance of either backend
 * sees. A PostgreSQL shop store counts in its own database, REDIS_URL or not: every instance
 * must open that database anyway (the accounts and carts are there), while REDIS_URL may be set
 * for one backend's sessions alone, and two backends counting in two places would each allow 5
 * guesses. A SQLite shop store counts in Redis when REDIS_URL is set, else in the SQLite file,
 * which both backends open. Either way a lock set through one instance holds in all.
 */
export async function openLoginThrottle(deps: {
  shopStore: OpenedShopStore;
  redisUrl?: string | undefined;
  /** The start of every Redis key; `login-throttle:` unless a test needs keys of its own. */
  redisPrefix?: string;
  options?: Partial<LoginThrottleOptions>;
  log?: (message: string) => void;
}): Promise<LoginThrottleHandle> {
  const log = deps.log ?? console.error;
  let kind: LoginThrottleHandle["kind"];
  let store: ThrottleStore;
  let close = async () => {};
  if (deps.shopStore.kind === "postgres") {
    kind = "postgres";
    store = createPgThrottleStore(deps.shopStore.database);
  } else if (deps.redisUrl) {
    const client = await connectRedis(deps.redisUrl, log);
    kind = "redis";
    store = createRedisThrottleStore(client, deps.redisPrefix ?? redisThrottlePrefix, log);
    close = () => closeRedis(client);
  } else {
    kind = "sqlite";
    store = await createSqliteThrottleStore(deps.shopStore.database);
  }
  return { throttle: new LoginThrottle({ ...deps.options, store }), kind, close };
}
