import { join } from "node:path";
import { decodeTrace } from "@repo/contract";
import request from "supertest";
import { describe, expect, it } from "vitest";
import {
  bearer,
  bob,
  login,
  P,
  startTestApp,
  stateStoreKinds,
  tempDir,
  testClock,
  testRedis,
  testRedisUrl,
  withTestApp,
} from "./testing";

const logout = (app: Parameters<typeof request>[0], accessToken: string, cookie: string) =>
  request(app).post(`${P}/auth/logout`).set(bearer(accessToken)).set("Cookie", cookie);

describe.each(stateStoreKinds)("POST /auth/logout (tokens in %s)", (kind) => {
  it("revokes the refresh family and clears its cookie with the same attributes: 204", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const { accessToken, refreshCookie } = await login(app);
      const res = await logout(app, accessToken, refreshCookie).expect(204);
      const cleared = String(res.headers["set-cookie"]?.[0]);
      expect(cleared).toMatch(/^refresh_token=;/);
      expect(cleared).toContain("Path=/api/jwt/auth");
      expect(cleared).toContain("HttpOnly");
      expect(cleared).toContain("SameSite=Strict");
      expect(cleared).toContain("Expires=Thu, 01 Jan 1970");
      const trace = decodeTrace(res.headers["x-auth-trace"]);
      expect(
        trace.filter((entry) => entry.step === "clear_token").map((entry) => entry.action),
      ).toEqual([
        "refresh token family revoked",
        "refresh cookie cleared",
        "access token still valid until exp: the client must drop it",
      ]);
      await request(app).post(`${P}/auth/refresh`).set("Cookie", refreshCookie).expect(401);
    });
  });

  it('tells the browser to drop every cookie of the site too: Clear-Site-Data "cookies"', async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const { accessToken, refreshCookie } = await login(app);
      const res = await logout(app, accessToken, refreshCookie).expect(204);
      // Not "storage": the page drops its own token, and "storage" would wipe all else it keeps.
      expect(res.headers["clear-site-data"]).toBe('"cookies"');
    });
  });

  it("leaves the access token valid until exp without the denylist: the cost of statelessness", async () => {
    await withTestApp(kind, {}, async ({ app, clock }) => {
      const { accessToken, refreshCookie } = await login(app);
      await logout(app, accessToken, refreshCookie).expect(204);
      await request(app).get(`${P}/cart`).set(bearer(accessToken)).expect(200);
      clock.advanceSeconds(14 * 60); // 14 minutes later, still in
      await request(app).get(`${P}/cart`).set(bearer(accessToken)).expect(200);
      clock.advanceSeconds(60 + 5); // past exp and the tolerance
      const res = await request(app).get(`${P}/cart`).set(bearer(accessToken)).expect(401);
      expect(res.body.error.code).toBe("token_expired");
    });
  });

  it("refuses the access token at once with JWT_DENYLIST=1", async () => {
    await withTestApp(kind, { env: { JWT_DENYLIST: "1" } }, async ({ app }) => {
      const { accessToken, refreshCookie } = await login(app);
      const other = await login(app);
      const res = await logout(app, accessToken, refreshCookie).expect(204);
      expect(decodeTrace(res.headers["x-auth-trace"]).map((entry) => entry.action)).toContain(
        "access token denylisted",
      );
      const refused = await request(app).get(`${P}/cart`).set(bearer(accessToken)).expect(401);
      expect(refused.body.error.code).toBe("unauthenticated");
      expect(refused.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
      await request(app).get(`${P}/cart`).set(bearer(other.accessToken)).expect(200); // only that one
      const state = await request(app).get(`${P}/demo/state`).expect(200);
      expect(state.body.denylistEnabled).toBe(true);
      expect(state.body.denylist).toEqual([
        { jti: expect.stringMatching(/…$/), expiresAt: expect.any(String) },
      ]);
    });
  });

  it("keeps refusing a logged-out token through the clock tolerance after exp", async () => {
    await withTestApp(kind, { env: { JWT_DENYLIST: "1" } }, async ({ app, clock }) => {
      const { accessToken, refreshCookie } = await login(app);
      await logout(app, accessToken, refreshCookie).expect(204);
      clock.advanceSeconds(15 * 60 + 2); // 2 s past exp: verification still accepts it (5 s)
      const res = await request(app).get(`${P}/cart`).set(bearer(accessToken)).expect(401);
      expect(res.body.error.code).toBe("unauthenticated");
    });
  });

  it("revokes the family with the refresh cookie alone once the access token expired: 204", async () => {
    await withTestApp(kind, {}, async ({ app, clock }) => {
      const { accessToken, refreshCookie } = await login(app);
      clock.advanceSeconds(15 * 60 + 6); // past exp and the tolerance: the page can only refresh
      const res = await logout(app, accessToken, refreshCookie).expect(204);
      expect(String(res.headers["set-cookie"]?.[0])).toMatch(/^refresh_token=;/);
      const steps = decodeTrace(res.headers["x-auth-trace"]).map((entry) => entry.action);
      expect(steps).toContain("refresh token family revoked");
      await request(app).post(`${P}/auth/refresh`).set("Cookie", refreshCookie).expect(401);
    });
  });

  it("revokes the family with the refresh cookie alone when no access token is sent: 204", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const { refreshCookie } = await login(app);
      // A reloaded page that kept its token in memory has only the cookie left.
      await request(app).post(`${P}/auth/logout`).set("Cookie", refreshCookie).expect(204);
      await request(app).post(`${P}/auth/refresh`).set("Cookie", refreshCookie).expect(401);
    });
  });

  it("is POST only, needs a token or a known refresh cookie, and refuses a foreign Origin", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const { accessToken, refreshCookie } = await login(app);
      await request(app)
        .get(`${P}/auth/logout`)
        .set(bearer(accessToken))
        .set("Cookie", refreshCookie)
        .expect(404);
      const nothing = await request(app).post(`${P}/auth/logout`).expect(401);
      expect(nothing.body.error.code).toBe("unauthenticated");
      const unknown = `refresh_token=${"A".repeat(43)}`;
      await request(app).post(`${P}/auth/logout`).set("Cookie", unknown).expect(401);
      // A token that is sent must be ours, whatever the cookie says.
      await request(app)
        .post(`${P}/auth/logout`)
        .set(bearer(`${accessToken.slice(0, -4)}AAAA`))
        .set("Cookie", refreshCookie)
        .expect(401);
      const foreign = await logout(app, accessToken, refreshCookie)
        .set("Origin", "https://evil.example")
        .expect(403);
      expect(foreign.body.error.code).toBe("csrf");
      await request(app).post(`${P}/auth/refresh`).set("Cookie", refreshCookie).expect(200); // untouched
    });
  });

  it("does not revoke another user's refresh family", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const alices = await login(app);
      const bobs = await login(app, bob);
      await logout(app, alices.accessToken, bobs.refreshCookie).expect(204);
      await request(app).post(`${P}/auth/refresh`).set("Cookie", bobs.refreshCookie).expect(200);
    });
  });
});

describe("the denylist after a restart", () => {
  it("still refuses a logged-out token with a SQLite file", async () => {
    const file = join(tempDir(), "shop.sqlite");
    const env = { JWT_DENYLIST: "1", DATA_DIR: tempDir() }; // same DATA_DIR: same dev secret
    const clock = testClock();
    const before = await startTestApp({ env, file, clock });
    const { accessToken, refreshCookie } = await login(before.app);
    await logout(before.app, accessToken, refreshCookie).expect(204);
    await before.close();

    const after = await startTestApp({ env, file, clock });
    try {
      const other = await login(after.app);
      await request(after.app).get(`${P}/cart`).set(bearer(other.accessToken)).expect(200);
      await request(after.app).get(`${P}/cart`).set(bearer(accessToken)).expect(401);
    } finally {
      await after.close();
    }
  });

  it.skipIf(!testRedisUrl)("still refuses a logged-out token with Redis", async () => {
    const redis = await testRedis(String(testRedisUrl));
    const env = { JWT_DENYLIST: "1", DATA_DIR: tempDir() };
    const file = join(tempDir(), "shop.sqlite"); // the same users, so the token's sub exists
    try {
      const before = await startTestApp({ env, file, redis });
      const { accessToken, refreshCookie } = await login(before.app);
      await logout(before.app, accessToken, refreshCookie).expect(204);
      await before.close();
      const after = await startTestApp({ env, file, redis });
      await request(after.app).get(`${P}/cart`).set(bearer(accessToken)).expect(401);
      await after.close();
    } finally {
      await redis.cleanup();
    }
  });
});
