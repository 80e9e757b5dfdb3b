import {
  createMemoryThrottleStore,
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
  kind: "redis" | "sqlite" | "memory";
  close(): Promise<void>;
}

/**
 * Opens the login throttle both backends share. With REDIS_URL set, attempts are counted in
 * Redis, which every instance of either backend can reach; otherwise in the shop's SQLite
 * file, which both backends open. Either way a lock set through one holds in the other.
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
  if (deps.redisUrl) {
    const client = await connectRedis(deps.redisUrl, log);
    kind = "redis";
    store = createRedisThrottleStore(client, deps.redisPrefix ?? redisThrottlePrefix, log);
    close = () => closeRedis(client);
  } else if (deps.shopStore.kind === "sqlite") {
    kind = "sqlite";
    store = await createSqliteThrottleStore(deps.shopStore.database);
  } else {
    // No shared counter for this shop store yet: say so, rather than pretend.
    log(
      "login throttle: no shared store for this shop store; attempts are counted per process " +
        "(set REDIS_URL to share them)",
    );
    kind = "memory";
    store = createMemoryThrottleStore();
  }
  return { throttle: new LoginThrottle({ ...deps.options, store }), kind, close };
}
