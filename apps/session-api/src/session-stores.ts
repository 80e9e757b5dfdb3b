import { closeRedis, connectRedis, type HealthCheck, withRedis } from "@repo/shop";
import type { PgDatabase } from "@repo/store";
import type { Database } from "better-sqlite3";
import { MemoryStore, type Store } from "express-session";
import type { SessionStoreKind } from "./config";
import { openPostgresSessionStore } from "./postgres-session-store";
import { FailFastRedisStore } from "./redis-session-store";
import { openSqliteSessionStore } from "./sqlite-session-store";

/** The store express-session keeps sessions in, with its name and a way to close it. */
export interface SessionStoreHandle {
  kind: SessionStoreKind;
  store: Store;
  /** For `GET P/health`: rejects while the store is down. */
  healthCheck: HealthCheck;
  close(): Promise<void>;
}

/** Redis keys of sessions start with this, so they are easy to find and never collide. */
export const redisSessionPrefix = "sess:";

/**
 * Opens the session store chosen by SESSION_STORE: the classic places a server keeps sessions.
 * `memory` dies with the process, `sqlite` lives in the shop's database file, `redis` lives in a
 * cache and `postgres` in the shop's PostgreSQL database, both of which several server processes
 * can share.
 */
export async function openSessionStore(
  kind: SessionStoreKind,
  deps: {
    /** The shop's SQLite connection, for `sqlite`. */
    database?: Database | undefined;
    /** The shop's PostgreSQL pool, for `postgres`. */
    postgres?: PgDatabase | undefined;
    redisUrl?: string | undefined;
    /** The start of every Redis key; `redisSessionPrefix` unless a test needs keys of its own. */
    redisPrefix?: string;
    log?: (message: string) => void;
  },
): Promise<SessionStoreHandle> {
  switch (kind) {
    case "memory":
      return { kind, store: new MemoryStore(), healthCheck: async () => {}, close: async () => {} };
    case "sqlite": {
      if (!deps.database) throw new Error("the sqlite session store needs the shop's SQLite file");
      const store = await openSqliteSessionStore(deps.database);
      // The shop's own health check reads the same file.
      return { kind, store, healthCheck: async () => {}, close: async () => store.close() };
    }
    case "redis": {
      if (!deps.redisUrl) throw new Error("the redis session store needs a REDIS_URL");
      const client = await connectRedis(deps.redisUrl, deps.log);
      const prefix = deps.redisPrefix ?? redisSessionPrefix;
      const store = new FailFastRedisStore({ client, prefix });
      const healthCheck = () => withRedis(() => client.ping(), deps.log);
      return { kind, store, healthCheck, close: () => closeRedis(client) };
    }
    case "postgres": {
      if (!deps.postgres) throw new Error("the postgres session store needs the shop's database");
      const store = await openPostgresSessionStore(deps.postgres, deps.log);
      // The shop's own health check asks the same database.
      return { kind, store, healthCheck: async () => {}, close: async () => store.close() };
    }
  }
}
