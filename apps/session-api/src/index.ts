import { sessionCookieName } from "@repo/contract";
import {
  checkOrExit,
  openLoginThrottle,
  readConfigOrExit,
  refuseDemoAccountsInProduction,
  serve,
} from "@repo/shop";
import { openShopStore } from "@repo/store";
import { createApp, openSessionStore, openSwitchableSessionStore, readConfig } from "./server";

// Startup: read the environment once, open the stores, build the app, listen.
const config = readConfigOrExit("session-api", readConfig, process.env);
// The demo accounts have public passwords, so production never gets them, not even from a
// database first created in development.
const store = await openShopStore(config.shopStore, { demoUsers: !config.isProduction });
await checkOrExit("session-api", () => refuseDemoAccountsInProduction(store, config));
// With the demo routes on, the labs may switch the session store at run time (docs/api.md).
const demoRoutesOn = config.demoMode && !config.isProduction;
const openSessions = demoRoutesOn ? openSwitchableSessionStore : openSessionStore;
const sessions = await openSessions(config.sessionStore, {
  database: store.kind === "sqlite" ? store.database : undefined,
  postgres: store.kind === "postgres" ? store.database : undefined,
  redisUrl: config.redisUrl,
});
// Login attempts are counted where both backends, and every instance, see the same count.
const loginThrottle = await openLoginThrottle({ shopStore: store, redisUrl: config.redisUrl });

await serve(createApp({ config, store, sessions, throttle: loginThrottle.throttle }), {
  name: `session-api (shop in ${store.kind}, sessions in ${sessions.kind})`,
  config,
  cookieName: sessionCookieName,
  onClose: async () => {
    await sessions.close();
    await loginThrottle.close();
    await store.close();
  },
});
