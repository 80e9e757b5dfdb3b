import {
  cartSchema,
  decodeTrace,
  jwtDemoStateSchema,
  jwtLoginResponseSchema,
} from "@repo/contract";
import jwt from "jsonwebtoken";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accessTokenType, tokenAudience, tokenIssuer } from "./access-token";
import {
  alice,
  bearer,
  listen,
  login,
  P,
  startTestApp,
  type TestApp,
  testPostgresUrl,
} from "./testing";

// The shop and its token state in SQLite, and in PostgreSQL (a schema per test) when
// DATABASE_URL is set.
const kinds = testPostgresUrl ? (["sqlite", "postgres"] as const) : (["sqlite"] as const);

describe.each(kinds)("on %s", (kind) => {
  const stores = kind === "postgres" ? { postgresUrl: testPostgresUrl } : {};
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(stores);
  });
  afterEach(async () => {
    await t.close();
  });

  describe("POST /auth/login", () => {
    it("returns the user, a Bearer access token and its lifetime in seconds", async () => {
      const res = await request(t.app).post(`${P}/auth/login`).send(alice).expect(200);
      const body = jwtLoginResponseSchema.parse(res.body);
      expect(body.user).toEqual({
        id: expect.any(String),
        username: "alice",
        displayName: "Alice",
        role: "customer",
      });
      expect(body.tokenType).toBe("Bearer");
      expect(body.expiresIn).toBe(900);
    });

    it("signs only sub, role, iss, aud, iat, exp, jti and cutoff_ms, with typ at+jwt and the configured alg", async () => {
      const { accessToken, user } = await login(t.app);
      const decoded = jwt.decode(accessToken, { complete: true });
      expect(decoded?.header).toEqual({ alg: "HS256", typ: accessTokenType });
      const payload = decoded?.payload as jwt.JwtPayload;
      expect(Object.keys(payload).sort()).toEqual([
        "aud",
        "cutoff_ms",
        "exp",
        "iat",
        "iss",
        "jti",
        "role",
        "sub",
      ]);
      expect(payload).toMatchObject({
        sub: user.id,
        role: "customer",
        iss: tokenIssuer,
        aud: tokenAudience,
        cutoff_ms: 0, // the account's cut-off when signed: alice's has never moved
      });
      expect(payload.exp).toBe((payload.iat ?? 0) + 900); // seconds, not milliseconds
      const other = jwt.decode((await login(t.app)).accessToken, { json: true });
      expect(other?.jti).toEqual(expect.any(String));
      expect(other?.jti).not.toBe(payload.jti); // random per token
    });

    it("traces password verified, token signed with its claims, token returned", async () => {
      const res = await request(t.app).post(`${P}/auth/login`).send(alice).expect(200);
      const trace = decodeTrace(res.headers["x-auth-trace"]);
      expect(trace.map((entry) => [entry.step, entry.action])).toEqual([
        ["verify_password", "password checked against the stored scrypt hash"],
        ["sign_token", "access token signed"],
        ["return_token", "access token returned in the body"],
        ["return_token", "refresh token set in an HttpOnly cookie"],
      ]);
      const signed = trace.find((entry) => entry.step === "sign_token");
      expect(signed?.detail).toContain(`iss ${tokenIssuer}`);
      expect(signed?.detail).toContain(`aud ${tokenAudience}`);
      expect(res.headers["x-auth-trace"]).not.toContain(res.body.accessToken);
    });

    it("answers a wrong password with 401 invalid_credentials, and locks after 5 with 429", async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const res = await request(t.app)
          .post(`${P}/auth/login`)
          .send({ ...alice, password: "nope" });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe("invalid_credentials");
      }
      const locked = await request(t.app).post(`${P}/auth/login`).send(alice).expect(429);
      expect(locked.body.error.code).toBe("rate_limited");
      expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    });
  });

  describe("the cart with a bearer token", () => {
    it("runs the whole flow: add, read, change, remove, and a reload sees the same cart", async () => {
      const { accessToken, refreshCookie } = await login(t.app);
      const auth = bearer(accessToken);
      const products = await request(t.app).get(`${P}/products`).expect(200);
      expect(products.headers["set-cookie"]).toBeUndefined();
      const [first, second] = products.body.products;

      await request(t.app)
        .post(`${P}/cart/items`)
        .set(auth)
        .send({ productId: first.id, quantity: 2 })
        .expect(200);
      await request(t.app)
        .post(`${P}/cart/items`)
        .set(auth)
        .send({ productId: second.id, quantity: 1 })
        .expect(200);
      const changed = await request(t.app)
        .patch(`${P}/cart/items/${first.id}`)
        .set(auth)
        .send({ quantity: 5 })
        .expect(200);
      expect(cartSchema.parse(changed.body).itemCount).toBe(6);
      const removed = await request(t.app)
        .delete(`${P}/cart/items/${second.id}`)
        .set(auth)
        .expect(200);
      expect(removed.body.items).toEqual([
        expect.objectContaining({ productId: first.id, quantity: 5 }),
      ]);

      // A reload that kept the token (localStorage): a brand-new client, same token, same cart.
      const reloaded = await request(t.app).get(`${P}/cart`).set(bearer(accessToken)).expect(200);
      expect(reloaded.body).toEqual(removed.body);

      // A reload that kept nothing but the HttpOnly cookie: refresh, then the same cart.
      const refreshed = await request(t.app)
        .post(`${P}/auth/refresh`)
        .set("Cookie", refreshCookie)
        .expect(200);
      const viaRefresh = await request(t.app)
        .get(`${P}/cart`)
        .set(bearer(refreshed.body.accessToken))
        .expect(200);
      expect(viaRefresh.body).toEqual(removed.body);
    });

    it("refuses the cart without a token: 401 unauthenticated with a Bearer challenge", async () => {
      const res = await request(t.app).get(`${P}/cart`).expect(401);
      expect(res.body.error.code).toBe("unauthenticated");
      expect(res.headers["www-authenticate"]).toBe("Bearer");
    });

    it("traces header parsed, algorithm checked, signature verified, claims checked, claims trusted", async () => {
      const { accessToken } = await login(t.app);
      const res = await request(t.app).get(`${P}/auth/me`).set(bearer(accessToken)).expect(200);
      expect(res.body).toEqual({ user: expect.objectContaining({ username: "alice" }) });
      const trace = decodeTrace(res.headers["x-auth-trace"]);
      expect(trace.map((entry) => [entry.step, entry.action, entry.outcome])).toEqual([
        ["send_header", "Authorization: Bearer header parsed", "ok"],
        ["verify_token", "algorithm checked", "ok"],
        ["verify_token", "signature verified", "ok"],
        ["verify_token", "claims checked", "ok"],
        ["verify_token", "claims trusted, no user lookup", "info"],
      ]);
      expect(trace[3]?.detail).toMatch(/iss .+, aud .+, exp \d{4}-.+Z, sub .+, role customer/);
      expect(trace[4]?.detail).toBe("role customer, from the token claim");
    });

    it("keeps exactly 50 after 50 concurrent adds of one with the same token", async () => {
      const { accessToken } = await login(t.app);
      const server = await listen(t.app);
      try {
        const add = () =>
          fetch(`${server.url}${P}/cart/items`, {
            method: "POST",
            headers: { ...bearer(accessToken), "content-type": "application/json" },
            body: JSON.stringify({ productId: "claw-hammer", quantity: 1 }),
          });
        const statuses = await Promise.all(
          Array.from({ length: 50 }, async () => (await add()).status),
        );
        expect(statuses.every((status) => status === 200)).toBe(true);
        const cart = await request(t.app).get(`${P}/cart`).set(bearer(accessToken)).expect(200);
        expect(cart.body.items).toEqual([
          expect.objectContaining({ productId: "claw-hammer", quantity: 50 }),
        ]);
      } finally {
        await server.close();
      }
    });
  });

  describe("GET /health and /demo/state", () => {
    it("names the stores in use", async () => {
      const res = await request(t.app).get(`${P}/health`).expect(200);
      expect(res.body).toEqual({
        status: "ok",
        mode: "jwt",
        store: { shop: kind, tokens: kind },
      });
    });

    it("shows refresh tokens shortened, no access token and never a whole secret", async () => {
      const { accessToken, refreshCookie } = await login(t.app);
      const res = await request(t.app).get(`${P}/demo/state`).set(bearer(accessToken)).expect(200);
      const state = jwtDemoStateSchema.parse(res.body);
      expect(state).toMatchObject({
        mode: "jwt",
        store: kind,
        algorithm: "HS256",
        accessTokensKept: 0,
      });
      expect(state.refreshTokens).toEqual([
        expect.objectContaining({
          username: "alice",
          status: "active",
          id: expect.stringMatching(/^.{6}…$/),
        }),
      ]);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(accessToken);
      expect(text).not.toContain(refreshCookie.split("=")[1]);
    });

    it("does not exist when demo mode is off", async () => {
      const quiet = await startTestApp({ ...stores, env: { DEMO_MODE: "0" } });
      try {
        await request(quiet.app).get(`${P}/demo/state`).expect(404);
        const res = await request(quiet.app).post(`${P}/auth/login`).send(alice).expect(200);
        expect(res.headers["x-auth-trace"]).toBeUndefined();
      } finally {
        await quiet.close();
      }
    });
  });
});
