import { closeRedis, connectRedis } from "@repo/shop";
import type { Database } from "better-sqlite3";
import type { TokenStateStore } from "./token-state";
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
 * Opens the store chosen by JWT_STATE_STORE: the shop's SQLite file by default, or Redis, which
 * several server processes can share.
 */
export async function openTokenState(
  kind: "sqlite" | "redis",
  deps: { database: Database; redisUrl?: string | undefined; log?: (message: string) => void },
): Promise<TokenStateHandle> {
  if (kind === "sqlite") {
    const state = await createSqliteTokenState(deps.database);
    return { state, close: async () => state.close() };
  }
  if (!deps.redisUrl) throw new Error("the redis token state store needs a REDIS_URL");
  const client = await connectRedis(deps.redisUrl, deps.log);
  return { state: createRedisTokenState(client, redisKeyPrefix), close: () => closeRedis(client) };
}
