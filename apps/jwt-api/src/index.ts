import { ConfigError, connectRedis, serve } from "@repo/shop";
import { openSqliteStore } from "@repo/store";
import { createApp } from "./app";
import { type JwtApiConfig, readConfig } from "./config";
import { createRedisTokenState } from "./token-state-redis";
import { createSqliteTokenState } from "./token-state-sqlite";

// Startup: read the environment once, open the stores, build the app, listen.
let config: JwtApiConfig;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`jwt-api cannot start: ${error.message}`);
  process.exit(1);
}

if (config.isProduction && config.trustProxy === undefined) {
  console.warn(
    "jwt-api: NODE_ENV=production makes the refresh_token cookie Secure, so browsers only get it " +
      "over HTTPS: serve through an HTTPS proxy and set TRUST_PROXY.",
  );
}

const store = await openSqliteStore({ file: config.databaseFile });
const redis =
  config.stateStore === "redis" && config.redisUrl
    ? await connectRedis(config.redisUrl)
    : undefined;
const tokenState = redis
  ? createRedisTokenState(redis, "jwt:")
  : createSqliteTokenState(store.database);

await serve(createApp({ config, store, tokenState }), {
  name: "jwt-api",
  port: config.port,
  host: config.host,
  onClose: async () => {
    await redis?.close();
    await store.close();
  },
});
