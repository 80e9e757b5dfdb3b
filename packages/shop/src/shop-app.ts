import { type AuthMode, type ForeignRequestsResponse, instanceHeaderName } from "@repo/contract";
import type { ShopStore } from "@repo/store";
import express, { type Express, type Request, type RequestHandler, type Router } from "express";
import helmet from "helmet";
import { adminRoutes } from "./admin-routes";
import { jsonBodyParser } from "./body";
import { errorHandler, notFoundHandler } from "./error-handler";
import { ForeignRequestLog } from "./foreign-requests";
import { type HealthCheck, healthRoute } from "./health";
import { rejectUnexpectedHost } from "./host-check";
import { cartRoutes, productRoutes } from "./shop-routes";
import { traceMiddleware } from "./trace";

/** What a backend brings to the shared app: its prefix and its answer to "who is this?". */
export interface ShopAppOptions {
  mode: AuthMode;
  /** `/api/session` or `/api/jwt`: each backend owns its prefix, so no proxy rewrites paths. */
  prefix: string;
  store: ShopStore;
  /** Login, logout, me (and refresh): the part of the lesson that differs. */
  authRouter: Router;
  /** Runs before every route that needs a user; sets it with `setCurrentUser` or fails. */
  requireUser: RequestHandler[];
  /** Names of the backing stores in use, for `GET P/health`. */
  storeNames: Record<string, string>;
  /** Which process this is (INSTANCE_NAME), sent as `X-Instance` on every response. */
  instanceName: string;
  /** A cheap check of each store besides the shop's own (sessions, tokens), for `GET P/health`. */
  healthChecks?: Record<string, HealthCheck>;
  /** In demo mode: what the server holds right now, as the caller may see it (`GET P/demo/state`). */
  demoState?: (req: Request) => Promise<unknown>;
  /**
   * Demo routes that change things (run-time settings, restart, the labs' extras), mounted under
   * `P/demo`; only where the backend allows them: demo mode, and never in production. With
   * them comes `GET P/demo/foreign-requests`, the log of requests from other origins.
   */
  demoRoutes?: Router;
  /**
   * The host names the server answers to besides IP addresses and loopback names; every other
   * request is refused with 400 (DNS rebinding, host-check.ts). Undefined: no check. The backends
   * pass `expectedHostNames(config)` in demo mode outside production, where the anonymous demo
   * routes exist and the server is usually reachable from this machine only.
   */
  expectedHosts?: readonly string[];
  /** Origins besides our own that may send unsafe requests, so that log leaves them out. */
  trustedOrigins?: readonly string[];
  /** Express's `trust proxy`, only when configured: otherwise `req.ip` could be forged. */
  trustProxy?: string | number | undefined;
  /** The clock in milliseconds (`Date.now` by default); tests pass one they can move. */
  now?: () => number;
  log?: (message: string) => void;
}

/** Never cache anything that depends on who asked (OWASP Session Management, "Cache"). */
const noStore: RequestHandler = (_req, res, next) => {
  res.set("Cache-Control", "no-store");
  next();
};

/** The Express app both backends run: shared middleware, shop routes, one error shape. */
export function createShopApp(options: ShopAppOptions): Express {
  const { prefix, store } = options;
  const app = express();

  // Settings: no framework banner; trust a proxy only when told to.
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);

  // Middleware every request passes through, in order. First the instance's name, so even an
  // error answer says which of several instances behind one address sent it.
  app.use((_req, res, next) => {
    res.set(instanceHeaderName, options.instanceName);
    next();
  });
  // A page at another name rebound to our address is refused before it reaches any route.
  if (options.expectedHosts) app.use(rejectUnexpectedHost(options.expectedHosts));
  app.use(helmet());
  app.use(traceMiddleware({ sendHeader: options.demoState !== undefined }));
  // With the demo routes, every unsafe request from another origin is logged once answered.
  const foreignRequests = options.demoRoutes ? new ForeignRequestLog() : undefined;
  if (foreignRequests) app.use(foreignRequests.recorder(options.trustedOrigins ?? []));
  app.use(jsonBodyParser());

  // Routes.
  app.get(`${prefix}/health`, noStore, healthRoute(options));
  app.use(`${prefix}/auth`, noStore, options.authRouter);
  app.use(`${prefix}/products`, productRoutes(store.products));
  app.use(`${prefix}/cart`, noStore, cartRoutes(store.carts, store.products, options.requireUser));
  const admin = adminRoutes({
    users: store.users,
    carts: store.carts,
    requireUser: options.requireUser,
    // The role is checked where each mode reads it: with the session, or with the token.
    traceStep: options.mode === "session" ? "lookup_session" : "verify_token",
    now: options.now ?? (() => Date.now()),
  });
  app.use(`${prefix}/admin`, noStore, admin);
  const { demoState } = options;
  if (demoState) {
    app.get(`${prefix}/demo/state`, noStore, async (req, res) => {
      res.json(await demoState(req));
    });
  }
  if (options.demoRoutes && foreignRequests) {
    app.get(`${prefix}/demo/foreign-requests`, noStore, (_req, res) => {
      const body: ForeignRequestsResponse = { requests: foreignRequests.list() };
      res.json(body);
    });
    app.use(`${prefix}/demo`, noStore, options.demoRoutes);
  }

  // Errors last: unknown routes, then everything thrown above.
  app.use(notFoundHandler);
  app.use(errorHandler(options.log));
  return app;
}
