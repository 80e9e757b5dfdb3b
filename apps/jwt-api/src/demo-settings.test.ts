import type { JwtDemoSettingsResponse } from "@repo/contract";
import jwt from "jsonwebtoken";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { bearer, login, P, startTestApp, stateStoreKinds, withTestApp } from "./testing";

const settingsOf = async (app: Parameters<typeof request>[0]) =>
  (await request(app).get(`${P}/demo/settings`).expect(200)).body as JwtDemoSettingsResponse;

const change = (app: Parameters<typeof request>[0], body: unknown) =>
  request(app)
    .patch(`${P}/demo/settings`)
    .send(body as object);

/** `exp - iat` of an access token, read without verifying: the test only looks. */
function lifetimeOf(accessToken: string): number {
  const payload = jwt.decode(accessToken) as { iat: number; exp: number };
  return payload.exp - payload.iat;
}

describe("GET and PATCH /demo/settings", () => {
  it("answers the settings in force beside the configured ones", async () => {
    await withTestApp("sqlite", { env: { ACCESS_TOKEN_TTL_SECONDS: "600" } }, async ({ app }) => {
      const configured = { accessTokenTtlSeconds: 600, denylist: false, userCutoff: false };
      expect(await settingsOf(app)).toEqual({ mode: "jwt", settings: configured, configured });
      const res = await change(app, { accessTokenTtlSeconds: 30 }).expect(200);
      expect(res.body).toEqual({
        mode: "jwt",
        settings: { accessTokenTtlSeconds: 30, denylist: false, userCutoff: false },
        configured,
      });
      expect(res.headers["cache-control"]).toBe("no-store");
    });
  });

  it("refuses a negative, tiny, huge or fractional lifetime, strings, unknown keys and an empty change with 400, changing nothing", async () => {
    await withTestApp("sqlite", {}, async ({ app }) => {
      const before = await settingsOf(app);
      const bad = [
        { accessTokenTtlSeconds: -60 },
        { accessTokenTtlSeconds: 4 },
        { accessTokenTtlSeconds: 86_401 },
        { accessTokenTtlSeconds: 1.5 },
        { accessTokenTtlSeconds: "30" },
        { denylist: "true" },
        { denylist: true, accessTokenTtlSeconds: 0 }, // one bad value: the good one is not applied
        { denylist: true, algorithm: "none" },
        { userCutoff: "1" },
        {},
        [],
      ];
      for (const body of bad) {
        const res = await change(app, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe("invalid_request");
      }
      await request(app)
        .patch(`${P}/demo/settings`)
        .type("text/plain")
        .send("denylist=true")
        .expect(415);
      expect(await settingsOf(app)).toEqual(before);
    });
  });

  it("refuses a change from another site's page with 403 csrf, changing nothing", async () => {
    await withTestApp("sqlite", {}, async ({ app }) => {
      const before = await settingsOf(app);
      for (const origin of ["http://localhost:5174", "http://127.0.0.1:5174"]) {
        const res = await change(app, { denylist: true }).set("Origin", origin).expect(403);
        expect(res.body.error.code).toBe("csrf");
        await request(app).post(`${P}/demo/reset`).set("Origin", origin).expect(403);
        await request(app).post(`${P}/demo/restart`).set("Origin", origin).expect(403);
      }
      expect(await settingsOf(app)).toEqual(before);
      // The lab's own page, through the web app's proxy (Host kept), may change them.
      await change(app, { denylist: true })
        .set("Host", "127.0.0.1:5173")
        .set("Origin", "http://127.0.0.1:5173")
        .expect(200);
    });
  });

  it("refuses a request addressed to a name it does not answer to (DNS rebinding), changing nothing", async () => {
    await withTestApp("sqlite", {}, async ({ app }) => {
      const before = await settingsOf(app);
      // A page at http://evil.example:4001 whose name now points at 127.0.0.1: the browser sends
      // an Origin that matches Host, so the Origin check alone would take it for our own page.
      const rebound = { Host: "evil.example:4001", Origin: "http://evil.example:4001" };
      const res = await change(app, { denylist: true }).set(rebound).expect(400);
      expect(res.body.error.code).toBe("invalid_request");
      await request(app).get(`${P}/demo/state`).set(rebound).expect(400);
      expect(await settingsOf(app)).toEqual(before);
      // Loopback names and IP addresses are ours (an address cannot be rebound).
      for (const host of ["localhost:4001", "127.0.0.1:4001", "[::1]:4001", "192.0.2.7:4001"]) {
        await request(app).get(`${P}/demo/settings`).set("Host", host).expect(200);
      }
    });
  });

  it("does not exist outside demo mode, nor in production even with DEMO_MODE=1: 404", async () => {
    for (const env of [{ DEMO_MODE: "0" }, { NODE_ENV: "production", DEMO_MODE: "1" }]) {
      const { app, close } = await startTestApp({ env });
      try {
        for (const [method, path] of [
          ["get", "settings"],
          ["patch", "settings"],
          ["post", "restart"],
          ["post", "reset"],
        ] as const) {
          const res = await request(app)[method](`${P}/demo/${path}`).send({ denylist: true });
          expect(res.status, `${JSON.stringify(env)} ${method} ${path}`).toBe(404);
          expect(res.body.error.code).toBe("not_found");
        }
      } finally {
        await close();
      }
    }
  });
});

describe("settings read at request time", () => {
  it("signs the next login's and refresh's token with a lifetime shortened at run time", async () => {
    await withTestApp("sqlite", {}, async ({ app }) => {
      expect(lifetimeOf((await login(app)).accessToken)).toBe(15 * 60);
      await change(app, { accessTokenTtlSeconds: 20 }).expect(200);
      const shortLived = await login(app);
      expect(shortLived.expiresIn).toBe(20);
      expect(lifetimeOf(shortLived.accessToken)).toBe(20);
      const refreshed = await request(app)
        .post(`${P}/auth/refresh`)
        .set("Cookie", shortLived.refreshCookie)
        .expect(200);
      expect(lifetimeOf(refreshed.body.accessToken)).toBe(20);
    });
  });

  it("expires a token shortened at run time once its short life and the tolerance are over", async () => {
    await withTestApp("sqlite", {}, async ({ app, clock }) => {
      await change(app, { accessTokenTtlSeconds: 10 }).expect(200);
      const { accessToken } = await login(app);
      clock.advanceSeconds(10 + 5 + 1); // past exp and the 5 s tolerance
      const res = await request(app).get(`${P}/cart`).set(bearer(accessToken)).expect(401);
      expect(res.body.error.code).toBe("token_expired");
    });
  });

  it("refuses a replayed token after logout once the denylist is switched on at run time, and accepts it with the denylist off", async () => {
    await withTestApp("sqlite", {}, async ({ app }) => {
      const replay = async () => {
        const { accessToken, refreshCookie } = await login(app);
        await request(app)
          .post(`${P}/auth/logout`)
          .set(bearer(accessToken))
          .set("Cookie", refreshCookie)
          .expect(204);
        return request(app).get(`${P}/auth/me`).set(bearer(accessToken));
      };
      expect((await replay()).status).toBe(200); // configured: no denylist
      await change(app, { denylist: true }).expect(200);
      const refused = await replay();
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe("unauthenticated");
      const state = await request(app).get(`${P}/demo/state`).expect(200);
      expect(state.body.denylistEnabled).toBe(true);
    });
  });

  it("goes back to the configured settings on reset", async () => {
    await withTestApp("sqlite", { env: { JWT_DENYLIST: "1" } }, async ({ app }) => {
      await change(app, { accessTokenTtlSeconds: 5, denylist: false }).expect(200);
      await request(app).post(`${P}/demo/reset`).expect(204);
      const { settings, configured } = await settingsOf(app);
      expect(settings).toEqual({ accessTokenTtlSeconds: 900, denylist: true, userCutoff: false });
      expect(configured).toEqual(settings);
      expect(lifetimeOf((await login(app)).accessToken)).toBe(900);
    });
  });
});

describe.each(stateStoreKinds)("POST /demo/restart (tokens in %s)", (kind) => {
  it("keeps access tokens (none was kept) and refresh tokens (the store outlives the process)", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      await change(app, { accessTokenTtlSeconds: 60 }).expect(200);
      const { accessToken, refreshCookie } = await login(app);
      await request(app).post(`${P}/demo/restart`).expect(204);
      await request(app).get(`${P}/auth/me`).set(bearer(accessToken)).expect(200);
      await request(app).post(`${P}/auth/refresh`).set("Cookie", refreshCookie).expect(200);
      // A restart starts with the same environment, so the settings in force stay.
      expect((await settingsOf(app)).settings.accessTokenTtlSeconds).toBe(60);
    });
  });
});

describe("GET /demo/foreign-requests", () => {
  it("shows a forged cart request: no Authorization header, so 401, whatever cookies came along", async () => {
    await withTestApp("sqlite", {}, async ({ app }) => {
      const { refreshCookie } = await login(app);
      await request(app)
        .post(`${P}/cart/items`)
        .set("Origin", "http://127.0.0.1:5174")
        .set("Cookie", refreshCookie) // its Path keeps it off /cart in a browser; sent here anyway
        .send({ productId: "claw-hammer", quantity: 1 })
        .expect(401);
      const res = await request(app).get(`${P}/demo/foreign-requests`).expect(200);
      expect(res.body.requests).toEqual([
        expect.objectContaining({
          method: "POST",
          path: `${P}/cart/items`,
          origin: "http://127.0.0.1:5174",
          cookies: ["refresh_token"],
          status: 401,
          code: "unauthenticated",
          refusedBy: expect.objectContaining({ step: "send_header", detail: "no Bearer token" }),
        }),
      ]);
    });
  });
});
