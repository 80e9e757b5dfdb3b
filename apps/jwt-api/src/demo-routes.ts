// The demo routes that change things (docs/api.md, "Demo settings"), mounted under
// /api/jwt/demo only in demo mode outside production. They are anonymous, like the labs that
// call them, so the guard against another site's page is the Origin check alone.
import { type JwtDemoSettingsResponse, jwtDemoSettingsChangeSchema } from "@repo/contract";
import { parseBody, rejectForeignOrigin, traceOf } from "@repo/shop";
import { Router } from "express";
import type { JwtRuntimeSettings } from "./demo-settings";
import type { TokenStateStore } from "./token-state";

/** `GET`/`PATCH /demo/settings`, `POST /demo/restart` and `POST /demo/reset`. */
export function jwtDemoRoutes(deps: {
  settings: JwtRuntimeSettings;
  tokenState: TokenStateStore;
  trustedOrigins: string[];
}): Router {
  const { settings } = deps;
  const answer = (): JwtDemoSettingsResponse => ({
    mode: "jwt",
    settings: settings.current(),
    configured: { ...settings.configured },
  });
  const router = Router();
  // No cookie is read here, but these routes change how the whole server behaves: a page on
  // another site must not be able to switch the denylist off behind a student's back.
  router.use(
    rejectForeignOrigin({ trustedOrigins: deps.trustedOrigins, traceStep: "verify_token" }),
  );

  router.get("/settings", (_req, res) => {
    res.json(answer());
  });

  router.patch("/settings", (req, res) => {
    // Validated whole before anything changes: a bad value is a 400 and changes nothing.
    settings.change(parseBody(jwtDemoSettingsChangeSchema, req));
    res.json(answer());
  });

  // What a restart of this process loses: nothing about access tokens, since none is kept.
  // Refresh tokens and the denylist live in the token state store, which outlives the process.
  router.post("/restart", (_req, res) => {
    const trace = traceOf(res);
    trace.add("verify_token", "restart: no access token was kept, so none is lost", "info");
    const detail = `refresh tokens and denylist in ${deps.tokenState.kind}`;
    trace.add("verify_token", "restart: the token state store survives", "info", detail);
    res.status(204).end();
  });

  router.post("/reset", (_req, res) => {
    settings.reset();
    res.status(204).end();
  });
  return router;
}
