import { ConfigError, serve } from "@repo/shop";
import { openSqliteStore } from "@repo/store";
import { createApp } from "./app";
import { readConfig } from "./config";
import { openSessionStore } from "./session-stores";

// Startup: read the environment once, open the stores, build the app, listen.
let config: ReturnType<typeof readConfig>;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`session-api cannot start: ${error.message}`);
  process.exit(1);
}

if (config.isProduction && config.trustProxy === undefined) {
  console.warn(
    "session-api: NODE_ENV=production makes the sid cookie Secure, so browsers only get it over " +
      "HTTPS: serve through an HTTPS proxy and set TRUST_PROXY.",
  );
}

const store = await openSqliteStore({ file: config.databaseFile });
const sessions = await openSessionStore(config.sessionStore, {
  database: store.database,
  redisUrl: config.redisUrl,
});

await serve(createApp({ config, store, sessions }), {
  name: `session-api (sessions in ${sessions.kind})`,
  port: config.port,
  host: config.host,
  onClose: async () => {
    await sessions.close();
    await store.close();
  },
});
