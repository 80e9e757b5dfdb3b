import { closeRedis, connectRedis } from "@repo/shop";
import type { PgDatabase } from "@repo/store";
import type { Database } from "better-sqlite3";
import type { TokenStateStore } from "./token-state";
import { createPostgresTokenState } from "./token-state-postgres";
import { createRedisTokenState } from "./token-state-redis";
import { createSqliteTokenState } from "./token-state-sqlite";

/** The token state store with a way to close it, as `index.ts` opens it. */
export interface TokenStateHandle {
  state: TokenStateStore;
  close(): Promise<void>;
}

/** Redis keys of refresh tokens and the denylist start with this. */
const redisKeyPrefix = "jwt:";

/**
 * Opens the store chosen by JWT_STATE_STORE: the shop's own database by default (its SQLite file,
 * or its PostgreSQL database, which several server processes can share), or Redis, which they
 * can share too.
 */
export async function openTokenState(
  kind: "sqlite" | "redis" | "postgres",
  deps: {
    /** The shop's SQLite connection, for `sqlite`. */
    database?: Database | undefined;
    /** The shop's PostgreSQL pool, for `postgres`. */
    postgres?: PgDatabase | undefined;
    redisUrl?: string | undefined;
    log?: (message: string) => void;
  },
): Promise<TokenStateHandle> {
  if (kind === "sqlite") {
    if (!deps.database)
      throw new Error("the sqlite token state store needs the shop's SQLite file");
    const state = await createSqliteTokenState(deps.database);
    return { state, close: async () => state.close() };
  }
  if (kind === "postgres") {
    if (!deps.postgres) throw new Error("the postgres token state store needs the shop's database");
    const state = await createPostgresTokenState(deps.postgres, deps.log);
    return { state, close: async () => state.close() };
  }
  if (!deps.redisUrl) throw new Error("the redis token state store needs a REDIS_URL");
  const client = await connectRedis(deps.redisUrl, deps.log);
  return { state: createRedisTokenState(client, redisKeyPrefix), close: () => closeRedis(client) };
}
