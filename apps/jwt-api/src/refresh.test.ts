import { decodeTrace } from "@repo/contract";
import { redisUrlForTests } from "@repo/shop/testing";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { hashRefreshToken } from "./refresh-token";
import {
  alice,
  bearer,
  cookiePair,
  listen,
  login,
  P,
  refreshSetCookie,
  startTestApp,
  stateStoreKinds,
  withTestApp,
} from "./testing";

const refresh = (app: Parameters<typeof request>[0], cookie: string) =>
  request(app).post(`${P}/auth/refresh`).set("Cookie", cookie);

it("has Redis to test against when running in CI", () => {
  expect(() => redisUrlForTests()).not.toThrow();
  expect(() => redisUrlForTests({ CI: "true" })).toThrow(/CI must set REDIS_URL/);
});

describe("the refresh cookie", () => {
  it("is HttpOnly, SameSite=Strict, scoped to /api/jwt/auth, and not Secure in development", async () => {
    await withTestApp("sqlite", {}, async ({ app }) => {
      const { setCookie } = await login(app);
      expect(setCookie).toMatch(/^refresh_token=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toContain("Path=/api/jwt/auth");
      expect(setCookie).toContain("HttpOnly");
      expect(setCookie).toContain("SameSite=Strict");
      expect(setCookie).toMatch(/Max-Age=604800/);
      expect(setCookie).not.toContain("Secure");
    });
  });

  it("is traced as the refresh token's own step, with its attributes, never as a signature check", async () => {
    await withTestApp("sqlite", {}, async ({ app }) => {
      // A page's first load asks for a token with no cookie at all: not a forged signature.
      const none = await request(app).post(`${P}/auth/refresh`).expect(401);
      const refused = decodeTrace(none.headers["x-auth-trace"]);
      expect(refused.map((entry) => entry.step)).toEqual(["return_token", "return_token"]);
      const { refreshCookie } = await login(app);
      const res = await refresh(app, refreshCookie).expect(200);
      const trace = decodeTrace(res.headers["x-auth-trace"]);
      expect(trace.find((entry) => entry.action === "refresh token rotated")?.step).toBe(
        "return_token",
      );
      const set = trace.find((entry) => entry.action === "refresh token set in an HttpOnly cookie");
      expect(set?.detail).toMatch(/^refresh_token=…; Max-Age=\d+; Path=\/api\/jwt\/auth; Expires=/);
    });
  });

  it("is Secure in production", async () => {
    const t = await startTestApp({ env: { NODE_ENV: "production", TRUST_PROXY: "loopback" } });
    try {
      const res = await request(t.app)
        .post(`${P}/auth/login`)
        .set("X-Forwarded-Proto", "https")
        .send(alice)
        .expect(200);
      expect(refreshSetCookie(res.headers["set-cookie"])).toContain("Secure");
    } finally {
      await t.close();
    }
  });

  it("is never left undelivered: production refuses a login over plain HTTP with 403 https_required", async () => {
    const t = await startTestApp({ env: { NODE_ENV: "production", DEMO_MODE: "1" } });
    try {
      // A browser drops a Secure cookie sent over plain HTTP, so the login would store a refresh
      // token nobody gets. Refused before the password check, so nothing is stored.
      const res = await request(t.app).post(`${P}/auth/login`).send(alice).expect(403);
      expect(res.body.error.code).toBe("https_required");
      expect(res.body.accessToken).toBeUndefined();
      expect(refreshSetCookie(res.headers["set-cookie"])).toBe("");
      expect((await t.tokenState.snapshot(t.clock.now(), undefined)).otherRefreshTokens).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe.each(stateStoreKinds)("POST /auth/refresh (tokens in %s)", (kind) => {
  it("rotates: a new access token and a new cookie, and the old cookie is dead", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const first = await login(app);
      const res = await refresh(app, first.refreshCookie).expect(200);
      expect(res.body).toMatchObject({
        user: { username: "alice" },
        tokenType: "Bearer",
        expiresIn: 900,
      });
      const next = cookiePair(refreshSetCookie(res.headers["set-cookie"]));
      expect(next).not.toBe(first.refreshCookie);
      await request(app).get(`${P}/cart`).set(bearer(res.body.accessToken)).expect(200);
      const steps = decodeTrace(res.headers["x-auth-trace"]).map((entry) => entry.action);
      expect(steps).toEqual([
        "refresh token rotated",
        "access token signed",
        "access token returned in the body",
        "refresh token set in an HttpOnly cookie",
      ]);
      await refresh(app, next).expect(200); // the new one works once
    });
  });

  it("revokes the whole family when a rotated token is used again", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const { accessToken, refreshCookie: stolen } = await login(app);
      const legit = cookiePair(
        refreshSetCookie((await refresh(app, stolen).expect(200)).headers["set-cookie"]),
      );
      const reuse = await refresh(app, stolen).expect(401);
      expect(reuse.body.error.code).toBe("unauthenticated");
      expect(reuse.headers["set-cookie"]?.[0]).toMatch(/^refresh_token=;.*Path=\/api\/jwt\/auth/);
      expect(decodeTrace(reuse.headers["x-auth-trace"])[0]?.detail).toContain("family is revoked");
      // The token the rightful client holds dies with it: both must log in again.
      await refresh(app, legit).expect(401);
      const state = await request(app).get(`${P}/demo/state`).set(bearer(accessToken)).expect(200);
      const statuses = state.body.refreshTokens.map((token: { status: string }) => token.status);
      expect(statuses).toEqual(["revoked", "revoked"]);
    });
  });

  it("logs a reuse on the server: the family shortened and the user id, never the token", async () => {
    const logged: string[] = [];
    await withTestApp(kind, { log: (line) => logged.push(line) }, async ({ app }) => {
      const stolen = (await login(app)).refreshCookie;
      const rotated = await refresh(app, stolen).expect(200);
      await refresh(app, stolen).expect(401);
      const state = await request(app).get(`${P}/demo/state`).set(bearer(rotated.body.accessToken));
      const family = state.body.refreshTokens[0].family as string;
      expect(logged).toEqual([
        `refresh token reused: family ${family} of user ${rotated.body.user.id} revoked`,
      ]);
      // A short prefix only: neither the token, nor its hash, nor the whole family id.
      const token = stolen.split("=")[1] ?? "";
      expect(logged[0]).not.toContain(token);
      expect(logged[0]).not.toContain(hashRefreshToken(token).slice(0, 10));
      expect(family).toMatch(/^.{6}…$/);
    });
  });

  it("ends a login at REFRESH_ABSOLUTE_TIMEOUT_SECONDS however often it is refreshed in time", async () => {
    const env = { REFRESH_TOKEN_TTL_SECONDS: "3600", REFRESH_ABSOLUTE_TIMEOUT_SECONDS: "7200" };
    await withTestApp(kind, { env }, async ({ app, clock }) => {
      let cookie = (await login(app)).refreshCookie;
      // Every 50 minutes, well within the hour each token lives: the login is in constant use.
      for (const minutes of [50, 100]) {
        clock.advanceSeconds(50 * 60);
        const res = await refresh(app, cookie).expect(200);
        const setCookie = refreshSetCookie(res.headers["set-cookie"]);
        // The cookie lives as long as its token: a full hour, then only to the login's end.
        expect(setCookie).toContain(`Max-Age=${Math.min(3600, 7200 - minutes * 60)}`);
        cookie = cookiePair(setCookie);
      }
      clock.advanceSeconds(20 * 60); // 2 hours after login: the login is over
      const res = await refresh(app, cookie).expect(401);
      expect(decodeTrace(res.headers["x-auth-trace"])[0]?.detail).toBe("expired");
    });
  });

  it("ends a login begun before the account's logins cut-off, whichever backend moved it", async () => {
    await withTestApp(kind, {}, async ({ app, clock, store }) => {
      const before = await login(app);
      const userId = before.user.id;
      clock.advanceSeconds(0.001); // one millisecond: the cut-off is exact
      // What a password change or "log out everywhere" in either backend does to the account.
      await store.users.cutOffTokens(userId, clock.now());
      const after = await login(app); // logged in at the cut-off itself: after it, so it stays
      const refused = await refresh(app, before.refreshCookie).expect(401);
      expect(decodeTrace(refused.headers["x-auth-trace"])[0]?.detail).toMatch(/cut-off/);
      await refresh(app, after.refreshCookie).expect(200);
      // A role change moves only the access tokens' cut-off: the next refresh brings the role.
      clock.advanceSeconds(1);
      await store.users.updateAccount(userId, { role: "staff" }, clock.now());
      const res = await refresh(app, (await login(app)).refreshCookie).expect(200);
      expect(res.body.user.role).toBe("staff");
    });
  });

  it("leaves other logins of the same user alone when one family is revoked", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const laptop = (await login(app)).refreshCookie;
      const phone = (await login(app)).refreshCookie;
      await refresh(app, laptop).expect(200);
      await refresh(app, laptop).expect(401); // reuse: the laptop family is revoked
      await refresh(app, phone).expect(200);
    });
  });

  it("lets exactly one of two racing refreshes with the same token win", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const { refreshCookie } = await login(app);
      const server = await listen(app);
      try {
        const race = () =>
          fetch(`${server.url}${P}/auth/refresh`, {
            method: "POST",
            headers: { cookie: refreshCookie },
          });
        const statuses = (await Promise.all([race(), race()])).map((res) => res.status).sort();
        expect(statuses).toEqual([200, 401]);
      } finally {
        await server.close();
      }
    });
  });

  it("refuses a missing, unknown or expired refresh token, and an access token in its place", async () => {
    await withTestApp(kind, {}, async ({ app, clock }) => {
      const { accessToken, refreshCookie } = await login(app);
      await request(app).post(`${P}/auth/refresh`).expect(401);
      await refresh(app, `refresh_token=${"A".repeat(43)}`).expect(401);
      const res = await refresh(app, `refresh_token=${accessToken}`).expect(401);
      expect(res.body.error.code).toBe("unauthenticated");
      clock.advanceSeconds(7 * 24 * 60 * 60 + 1);
      await refresh(app, refreshCookie).expect(401);
    });
  });

  it("refuses a foreign Origin with 403 csrf and keeps the token usable", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const { refreshCookie } = await login(app);
      for (const origin of ["https://evil.example", "null", "http://127.0.0.1:6666"]) {
        const res = await refresh(app, refreshCookie)
          .set("Host", "127.0.0.1:5173")
          .set("Origin", origin)
          .expect(403);
        expect(res.body.error.code).toBe("csrf");
      }
      // Through the web app's proxy the browser's Origin and Host agree: that is our own site.
      await refresh(app, refreshCookie)
        .set("Host", "127.0.0.1:5173")
        .set("Origin", "http://127.0.0.1:5173")
        .expect(200);
    });
  });
});

it("accepts an Origin listed in CSRF_TRUSTED_ORIGINS", async () => {
  const t = await startTestApp({ env: { CSRF_TRUSTED_ORIGINS: "https://shop.example" } });
  try {
    const { refreshCookie } = await login(t.app);
    await refresh(t.app, refreshCookie).set("Origin", "https://shop.example").expect(200);
  } finally {
    await t.close();
  }
});
