// The demo routes that change things (docs/api.md, "Demo settings"), mounted under
// /api/session/demo only in demo mode outside production.
//
// The settings routes are anonymous: a lab switches stores and restarts whether or not anyone is
// logged in, so there is no session, and no CSRF token, to check. The Origin check is the guard
// instead: a browser names the page that started every unsafe cross-origin request, and no page
// can forge it, so another site's page can never switch stores or restart behind a student's
// back. (A client that is not a browser can call them; that is why they exist only in demo mode,
// outside production, on a loopback address unless DEMO_ALLOW_NETWORK=1.) The session cart needs
// a login, so it runs behind the full gate, CSRF token included, like the real cart.
import {
  type SessionDemoSettingsResponse,
  type SessionStoreKind,
  sessionDemoSettingsChangeSchema,
} from "@repo/contract";
import { HttpError, parseBody, rejectForeignOrigin, storeUnavailable, traceOf } from "@repo/shop";
import type { ProductCatalogue } from "@repo/store";
import { type RequestHandler, Router } from "express";
import { sessionCartRoutes } from "./session-cart";
import type { SwitchableSessionStore } from "./switchable-session-store";

/** `GET`/`PATCH /demo/settings`, `POST /demo/restart`, `POST /demo/reset`, `/demo/session-cart`. */
export function sessionDemoRoutes(deps: {
  sessions: SwitchableSessionStore;
  trustedOrigins: string[];
  requireUser: RequestHandler[];
  products: ProductCatalogue;
}): Router {
  const { sessions } = deps;
  const answer = (): SessionDemoSettingsResponse => ({
    mode: "session",
    settings: { sessionStore: sessions.kind },
    configured: { sessionStore: sessions.configuredKind },
    choices: { sessionStore: [...sessions.choices] },
  });
  const switchTo = async (kind: SessionStoreKind) => {
    try {
      await sessions.switchTo(kind);
    } catch {
      throw storeUnavailable(); // the store did not open: nothing changed
    }
  };
  const router = Router();
  router.use(
    rejectForeignOrigin({ trustedOrigins: deps.trustedOrigins, traceStep: "lookup_session" }),
  );

  router.get("/settings", (_req, res) => {
    res.json(answer());
  });

  router.patch("/settings", async (req, res) => {
    const { sessionStore } = parseBody(sessionDemoSettingsChangeSchema, req);
    if (sessionStore !== undefined && !sessions.choices.includes(sessionStore)) {
      throw new HttpError("invalid_request", "This process cannot reach that session store.", [
        { path: "sessionStore", message: `one of ${sessions.choices.join(", ")}` },
      ]);
    }
    if (sessionStore !== undefined) await switchTo(sessionStore);
    res.json(answer());
  });

  // What a restart of this process loses: the sessions a MemoryStore held in its memory. SQLite,
  // Redis and PostgreSQL keep theirs outside the process, so those sessions survive.
  router.post("/restart", async (_req, res) => {
    const { dropped } = await sessions.restart();
    const trace = traceOf(res);
    if (sessions.kind === "memory") {
      const detail = `${dropped} session${dropped === 1 ? "" : "s"} gone`;
      trace.add("destroy_session", "restart: the MemoryStore forgot every session", "info", detail);
    } else {
      const detail = `sessions kept in ${sessions.kind}`;
      trace.add("lookup_session", "restart: the session store survives", "info", detail);
    }
    res.status(204).end();
  });

  router.post("/reset", async (_req, res) => {
    await switchTo(sessions.configuredKind);
    res.status(204).end();
  });

  router.use("/session-cart", sessionCartRoutes(deps));
  return router;
}
