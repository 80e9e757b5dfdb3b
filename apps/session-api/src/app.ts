import { apiPrefix } from "@repo/contract";
import { createShopApp, expectedHostNames, LoginThrottle } from "@repo/shop";
import type { ShopStore } from "@repo/store";
import type { Express } from "express";
import { createAuth } from "./auth";
import type { SessionApiConfig } from "./config";
import { sessionDemoRoutes } from "./demo-routes";
import { sessionDemoState, signedSessionId } from "./demo-state";
import type { SessionStoreHandle } from "./session-stores";
import {
  fixedSessionStore,
  isSwitchable,
  type SwitchableSessionStore,
} from "./switchable-session-store";

/** What the app is built from; `index.ts` opens these, tests pass their own. */
export interface AppDeps {
  config: Pick<
    SessionApiConfig,
    | "isProduction"
    | "host"
    | "demoMode"
    | "trustProxy"
    | "sessionSecrets"
    | "sessionIdleTimeoutMs"
    | "sessionAbsoluteTimeoutMs"
    | "trustedOrigins"
    | "instanceName"
  >;
  store: ShopStore;
  /** In demo mode, one from `openSwitchableSessionStore` lets the labs switch it at run time. */
  sessions: SessionStoreHandle | SwitchableSessionStore;
  throttle?: LoginThrottle;
  /** The clock in milliseconds; tests pass one they can move. */
  now?: () => number;
  log?: (message: string) => void;
}

/** The session backend: the shared shop app with sessions as its answer to "who is this?". */
export function createApp(deps: AppDeps): Express {
  const { config, store, sessions } = deps;
  const throttle = deps.throttle ?? new LoginThrottle();
  const auth = createAuth({
    users: store.users,
    throttle,
    isProduction: config.isProduction,
    trustedOrigins: config.trustedOrigins,
    now: deps.now ?? (() => Date.now()),
    store: sessions.store,
    secrets: config.sessionSecrets,
    idleTimeoutMs: config.sessionIdleTimeoutMs,
    absoluteTimeoutMs: config.sessionAbsoluteTimeoutMs,
  });
  // Anonymous routes that change the server: in demo mode only, and never in production.
  const demoRoutes =
    config.demoMode && !config.isProduction
      ? sessionDemoRoutes({
          sessions: isSwitchable(sessions) ? sessions : fixedSessionStore(sessions),
          trustedOrigins: config.trustedOrigins,
          requireUser: auth.requireUser,
          products: store.products,
        })
      : undefined;
  return createShopApp({
    mode: "session",
    prefix: apiPrefix.session,
    store,
    authRouter: auth.router,
    requireUser: auth.requireUser,
    storeNames: {
      shop: store.kind,
      get sessions() {
        return sessions.kind; // read at each request: demo mode may switch it
      },
    },
    instanceName: config.instanceName,
    healthChecks: { sessions: sessions.healthCheck, loginThrottle: () => throttle.healthCheck() },
    demoState: config.demoMode
      ? (req) =>
          sessionDemoState(sessions, store.users, signedSessionId(req, config.sessionSecrets))
      : undefined,
    demoRoutes,
    // In demo mode outside production, a name that is not ours is refused (DNS rebinding).
    expectedHosts: config.demoMode && !config.isProduction ? expectedHostNames(config) : undefined,
    trustedOrigins: config.trustedOrigins,
    trustProxy: config.trustProxy,
    now: deps.now,
    log: deps.log,
  });
}
