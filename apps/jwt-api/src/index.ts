import { refreshCookieName } from "@repo/contract";
import {
  checkOrExit,
  openLoginThrottle,
  readConfigOrExit,
  refuseDemoAccountsInProduction,
  serve,
} from "@repo/shop";
import { openShopStore } from "@repo/store";
import { createApp, openTokenState, readConfig } from "./server";

// Startup: read the environment once, open the stores, build the app, listen.
const config = readConfigOrExit("jwt-api", readConfig, process.env);
// The demo accounts have public passwords, so production never gets them, not even from a
// database first created in development.
const store = await openShopStore(config.shopStore, { demoUsers: !config.isProduction });
await checkOrExit("jwt-api", () => refuseDemoAccountsInProduction(store, config));
const tokens = await openTokenState(config.stateStore, {
  database: store.kind === "sqlite" ? store.database : undefined,
  postgres: store.kind === "postgres" ? store.database : undefined,
  redisUrl: config.redisUrl,
});
// Login attempts are counted where both backends, and every instance, see the same count.
const loginThrottle = await openLoginThrottle({ shopStore: store, redisUrl: config.redisUrl });

await serve(
  createApp({ config, store, tokenState: tokens.state, throttle: loginThrottle.throttle }),
  {
    name: `jwt-api (shop in ${store.kind}, tokens in ${tokens.state.kind})`,
    config,
    cookieName: refreshCookieName,
    onClose: async () => {
      await tokens.close();
      await loginThrottle.close();
      await store.close();
    },
  },
);
