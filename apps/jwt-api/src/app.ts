import { apiPrefix } from "@repo/contract";
import { createShopApp, expectedHostNames, LoginThrottle } from "@repo/shop";
import type { ShopStore } from "@repo/store";
import type { Express } from "express";
import { createAuth } from "./auth";
import type { JwtApiConfig } from "./config";
import { jwtDemoRoutes } from "./demo-routes";
import { JwtRuntimeSettings } from "./demo-settings";
import { jwtDemoState } from "./demo-state";
import type { TokenStateStore } from "./token-state";

/** What the app is built from; `index.ts` opens these, tests pass their own. */
export interface AppDeps {
  config: JwtApiConfig;
  store: ShopStore;
  tokenState: TokenStateStore;
  throttle?: LoginThrottle;
  /** The clock in milliseconds; tests pass one they can move. */
  now?: () => number;
  log?: (message: string) => void;
}

/** The JWT backend: the shared shop app with bearer tokens as its answer to "who is this?". */
export function createApp(deps: AppDeps): Express {
  const { config, store, tokenState } = deps;
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((line: string) => console.warn(line));
  // The settings demo mode may change at run time (demo-settings.ts); they start as configured.
  const settings = new JwtRuntimeSettings({
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    denylist: config.denylist,
    userCutoff: config.userCutoff,
  });
  const throttle = deps.throttle ?? new LoginThrottle();
  const auth = createAuth({
    users: store.users,
    throttle,
    isProduction: config.isProduction,
    trustedOrigins: config.trustedOrigins,
    now,
    keys: config.keys,
    // Getters, not copies: each request reads the setting in force when it runs.
    get accessTokenTtlSeconds() {
      return settings.accessTokenTtlSeconds;
    },
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    refreshAbsoluteTimeoutSeconds: config.refreshAbsoluteTimeoutSeconds,
    get denylist() {
      return settings.denylist;
    },
    get userCutoff() {
      return settings.userCutoff;
    },
    tokenState,
    log,
  });
  const demoDeps = {
    keys: config.keys,
    get denylist() {
      return settings.denylist;
    },
    get userCutoff() {
      return settings.userCutoff;
    },
    tokenState,
    users: store.users,
    now,
  };
  return createShopApp({
    mode: "jwt",
    prefix: apiPrefix.jwt,
    store,
    authRouter: auth.router,
    requireUser: auth.requireUser,
    storeNames: { shop: store.kind, tokens: tokenState.kind },
    instanceName: config.instanceName,
    healthChecks: {
      tokens: () => tokenState.healthCheck(),
      loginThrottle: () => throttle.healthCheck(),
    },
    demoState: config.demoMode ? (req) => jwtDemoState(demoDeps, req) : undefined,
    // Anonymous routes that change the server: in demo mode only, and never in production.
    demoRoutes:
      config.demoMode && !config.isProduction
        ? jwtDemoRoutes({ settings, tokenState, trustedOrigins: config.trustedOrigins })
        : undefined,
    // In demo mode outside production, a name that is not ours is refused (DNS rebinding).
    expectedHosts: config.demoMode && !config.isProduction ? expectedHostNames(config) : undefined,
    trustedOrigins: config.trustedOrigins,
    trustProxy: config.trustProxy,
    now,
    log: deps.log,
  });
}
