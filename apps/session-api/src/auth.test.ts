import { randomBytes } from "node:crypto";
import { decodeTrace } from "@repo/contract";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "./app";
import {
  alice,
  bob,
  loginAgent,
  P,
  sessionIdOf,
  sidSetCookie,
  signedSidCookie,
  startTestApp,
  storedSession,
  type TestApp,
  testConfig,
  testSecret,
} from "./testing";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

describe("POST /auth/login", () => {
  it("answers with the user and a CSRF token, and sets the sid cookie", async () => {
    const res = await request(t.app).post(`${P}/auth/login`).send(alice).expect(200);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      username: "alice",
      displayName: "Alice",
      role: "customer",
    });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/hash|scrypt|password/i);
    expect(sidSetCookie(res)).toBeDefined();
  });

  it("sets the cookie HttpOnly, SameSite=Lax, on Path=/api/session, with an expiry and no Secure over http", async () => {
    const before = Date.now();
    const res = await request(t.app).post(`${P}/auth/login`).send(alice).expect(200);
    const cookie = sidSetCookie(res) ?? "";
    const attributes = cookie.split("; ").slice(1);
    expect(cookie).toMatch(/^sid=s%3A/); // named sid, not connect.sid, and signed
    expect(attributes).toContain("HttpOnly");
    expect(attributes).toContain("SameSite=Lax");
    expect(attributes).toContain("Path=/api/session");
    expect(attributes).not.toContain("Secure");
    const expires = Date.parse(attributes.find((a) => a.startsWith("Expires="))?.slice(8) ?? "");
    expect(expires - before).toBeGreaterThan(29 * 60 * 1000);
    expect(expires - before).toBeLessThanOrEqual(31 * 60 * 1000);
  });

  it("marks the cookie Secure behind a trusted HTTPS proxy", async () => {
    const proxied = await startTestApp({ config: { trustProxy: "loopback" } });
    const res = await request(proxied.app)
      .post(`${P}/auth/login`)
      .set("X-Forwarded-Proto", "https")
      .send(alice)
      .expect(200);
    expect(sidSetCookie(res)?.split("; ")).toContain("Secure");
    await proxied.close();
  });

  it("marks the cookie Secure in production", async () => {
    const production = await startTestApp({ config: { isProduction: true, trustProxy: 1 } });
    const res = await request(production.app)
      .post(`${P}/auth/login`)
      .set("X-Forwarded-Proto", "https")
      .send(alice)
      .expect(200);
    expect(sidSetCookie(res)?.split("; ")).toContain("Secure");
    await production.close();
  });

  it("refuses to log in over plain HTTP in production, before a session is written: 403 https_required", async () => {
    const production = await startTestApp({ config: { isProduction: true } });
    // The cookie would be Secure, and a browser drops a Secure cookie sent over plain HTTP: the
    // login would write a session that nobody ever gets. So nothing is written at all.
    const plain = await request(production.app).post(`${P}/auth/login`).send(alice).expect(403);
    expect(plain.body.error.code).toBe("https_required");
    expect(sidSetCookie(plain)).toBeUndefined();
    const state = await request(production.app).get(`${P}/demo/state`).expect(200);
    expect(state.body.sessions).toEqual([]);
    await production.close();
  });

  it("stores only the user id, login time and cut-off, absolute expiry and CSRF token", async () => {
    const { sessionId, userId, csrfToken } = await loginAgent(t.app);
    const stored = await storedSession(t.sessions, sessionId);
    expect(Object.keys(stored ?? {}).sort()).toEqual(
      [
        "absoluteExpiresAtMs",
        "cookie",
        "csrfToken",
        "loggedInAtMs",
        "loginCutOffMs",
        "userId",
      ].sort(),
    );
    expect(stored).toMatchObject({ userId, csrfToken, loginCutOffMs: 0 });
  });

  it("issues a new session id, so a planted id is worthless (session fixation)", async () => {
    // The attacker's own session, whose signed cookie they plant in the victim's browser.
    const attacker = await loginAgent(t.app, bob);
    const planted = attacker.sessionId;
    const res = await request(t.app)
      .post(`${P}/auth/login`)
      .set("Cookie", signedSidCookie(planted))
      .send(alice)
      .expect(200);
    const newId = sessionIdOf(sidSetCookie(res));
    expect(newId).not.toBe(planted);
    expect(await storedSession(t.sessions, planted)).toBeUndefined();
    await request(t.app).get(`${P}/cart`).set("Cookie", signedSidCookie(planted)).expect(401);
    const me = await request(t.app).get(`${P}/auth/me`).set("Cookie", signedSidCookie(newId));
    expect(me.body.user.username).toBe("alice");
  });

  it("refuses a wrong password and an unknown user alike, without a cookie", async () => {
    const wrong = await request(t.app)
      .post(`${P}/auth/login`)
      .send({ username: "alice", password: "nope" })
      .expect(401);
    const unknown = await request(t.app)
      .post(`${P}/auth/login`)
      .send({ username: "mallory", password: "nope" })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe("invalid_credentials");
    expect(sidSetCookie(wrong)).toBeUndefined();
    expect(sidSetCookie(unknown)).toBeUndefined();
  });

  it("answers 400 to a malformed body", async () => {
    const res = await request(t.app).post(`${P}/auth/login`).send({ username: "alice" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
  });

  it("throttles repeated failures with 429 and Retry-After, even for the right password", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await request(t.app)
        .post(`${P}/auth/login`)
        .send({ username: "alice", password: "wrong" })
        .expect(401);
    }
    const locked = await request(t.app).post(`${P}/auth/login`).send(alice).expect(429);
    expect(locked.body.error.code).toBe("rate_limited");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    expect(sidSetCookie(locked)).toBeUndefined();
  });

  it("throttles an unknown account the same way", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await request(t.app)
        .post(`${P}/auth/login`)
        .send({ username: "mallory", password: "wrong" })
        .expect(401);
    }
    const locked = await request(t.app)
      .post(`${P}/auth/login`)
      .send({ username: "mallory", password: "wrong" })
      .expect(429);
    expect(locked.headers["retry-after"]).toBeDefined();
  });

  it("traces the password check, the new id, the store write and the cookie", async () => {
    const res = await request(t.app).post(`${P}/auth/login`).send(alice).expect(200);
    const trace = decodeTrace(res.headers["x-auth-trace"]);
    expect(trace.map((entry) => entry.step)).toEqual([
      "verify_password",
      "store_session",
      "store_session",
      "issue_cookie",
    ]);
    const sessionId = sessionIdOf(sidSetCookie(res));
    expect(res.headers["x-auth-trace"]).not.toContain(sessionId);
    expect(res.headers["x-auth-trace"]).not.toContain(res.body.csrfToken);
    // The cookie's attributes as really sent, for the inspector: fetch cannot read Set-Cookie.
    const issued = decodeTrace(res.headers["x-auth-trace"]).find((e) => e.step === "issue_cookie");
    expect(issued?.detail).toMatch(
      /^sid=…; Path=\/api\/session; Expires=.+; HttpOnly; SameSite=Lax$/,
    );
  });
});

describe("anonymous requests", () => {
  it("get no cookie and create no session when reading products", async () => {
    const res = await request(t.app).get(`${P}/products`).expect(200);
    expect(res.headers["set-cookie"]).toBeUndefined();
    const health = await request(t.app).get(`${P}/health`).expect(200);
    expect(health.headers["set-cookie"]).toBeUndefined();
    expect(health.body).toEqual({
      status: "ok",
      mode: "session",
      store: { shop: "sqlite", sessions: "sqlite" },
    });
    const state = await request(t.app).get(`${P}/demo/state`).expect(200);
    expect(state.body.sessions).toEqual([]);
  });

  it("get 401 on the cart, with no cookie set", async () => {
    const res = await request(t.app).get(`${P}/cart`).expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});

describe("a request's session cookie", () => {
  it("is refused when its signature is forged", async () => {
    const { sessionId } = await loginAgent(t.app);
    const forged = `sid=${encodeURIComponent(`s:${sessionId}.${"A".repeat(43)}`)}`;
    const res = await request(t.app).get(`${P}/cart`).set("Cookie", forged).expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
    const trace = decodeTrace(res.headers["x-auth-trace"]);
    expect(trace.at(-1)).toMatchObject({ action: "signature checked", outcome: "fail" });
  });

  it("is refused when signed with a secret we do not hold", async () => {
    const { sessionId } = await loginAgent(t.app);
    const other = signedSidCookie(sessionId, randomBytes(32).toString("hex"));
    await request(t.app).get(`${P}/cart`).set("Cookie", other).expect(401);
  });

  it("is refused when unsigned, even with a live session id", async () => {
    const { sessionId } = await loginAgent(t.app);
    await request(t.app).get(`${P}/cart`).set("Cookie", `sid=${sessionId}`).expect(401);
  });

  it("is refused when well signed but unknown to the store", async () => {
    const res = await request(t.app)
      .get(`${P}/cart`)
      .set("Cookie", signedSidCookie("never-issued-id"))
      .expect(401);
    const trace = decodeTrace(res.headers["x-auth-trace"]);
    expect(trace.map((entry) => [entry.action, entry.outcome])).toEqual([
      ["sid cookie read from the Cookie header", "ok"],
      ["signature checked", "ok"],
      ["session looked up in the store", "fail"],
    ]);
  });

  it("is never taken from the query string or the body", async () => {
    const { sessionId, csrfToken } = await loginAgent(t.app);
    const signed = encodeURIComponent(`s:${signedSidCookie(sessionId).slice(4)}`);
    await request(t.app).get(`${P}/cart?sid=${signed}`).expect(401);
    await request(t.app).get(`${P}/cart?sid=${sessionId}`).expect(401);
    await request(t.app)
      .post(`${P}/cart/items`)
      .set("X-CSRF-Token", csrfToken)
      .send({ productId: "claw-hammer", quantity: 1, sid: sessionId })
      .expect(401);
  });

  it("still works when signed with the previous secret during a rotation", async () => {
    const { sessionId } = await loginAgent(t.app);
    // The same stores, restarted with a new secret in front of the old one.
    const rotated = createApp({
      config: {
        ...testConfig,
        sessionSecrets: [randomBytes(32).toString("base64url"), testSecret],
      },
      store: t.store,
      sessions: t.sessions,
    });
    const res = await request(rotated)
      .get(`${P}/auth/me`)
      .set("Cookie", signedSidCookie(sessionId))
      .expect(200);
    expect(res.body.user.username).toBe("alice");
    // The renewed cookie carries the same id, now signed with the new secret.
    const renewed = sidSetCookie(res);
    expect(sessionIdOf(renewed)).toBe(sessionId);
    expect(renewed?.split(";")[0]).not.toBe(signedSidCookie(sessionId));
  });

  it("traces cookie, signature, lookup and user for an authenticated request", async () => {
    const { agent } = await loginAgent(t.app);
    const res = await agent.get(`${P}/cart`).expect(200);
    const trace = decodeTrace(res.headers["x-auth-trace"]);
    expect(trace.map((entry) => `${entry.step}: ${entry.action}`)).toEqual([
      "send_cookie: sid cookie read from the Cookie header",
      "lookup_session: signature checked",
      "lookup_session: session looked up in the store",
      "lookup_session: user loaded",
    ]);
  });

  it("is renewed on each request (rolling) without writing the session again", async () => {
    const { agent, sessionId } = await loginAgent(t.app);
    const set = vi.spyOn(t.sessions.store, "set");
    const res = await agent.get(`${P}/cart`).expect(200);
    expect(sidSetCookie(res)).toBeDefined();
    expect(sessionIdOf(sidSetCookie(res))).toBe(sessionId);
    expect(set).not.toHaveBeenCalled();
  });
});

describe("POST /auth/logout", () => {
  it("destroys the session in the store and clears the cookie with the same attributes", async () => {
    const { agent, csrfToken, sessionId } = await loginAgent(t.app);
    const res = await agent.post(`${P}/auth/logout`).set("X-CSRF-Token", csrfToken).expect(204);
    expect(sidSetCookie(res)).toBe(
      "sid=; Path=/api/session; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    );
    expect(await storedSession(t.sessions, sessionId)).toBeUndefined();
    const trace = decodeTrace(res.headers["x-auth-trace"]);
    expect(trace.filter((entry) => entry.step === "destroy_session")).toHaveLength(2);
  });

  it('tells the browser to drop every cookie of the site too: Clear-Site-Data "cookies"', async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    const res = await agent.post(`${P}/auth/logout`).set("X-CSRF-Token", csrfToken).expect(204);
    // Not "storage": that would wipe what pages of this site keep in localStorage, such as the
    // JWT client's token.
    expect(res.headers["clear-site-data"]).toBe('"cookies"');
  });

  it("kills the id: the old cookie then gets 401", async () => {
    const { agent, csrfToken, sessionId } = await loginAgent(t.app);
    await agent.post(`${P}/auth/logout`).set("X-CSRF-Token", csrfToken).expect(204);
    const replay = await request(t.app)
      .get(`${P}/cart`)
      .set("Cookie", signedSidCookie(sessionId))
      .expect(401);
    expect(replay.body.error.code).toBe("unauthenticated");
  });

  it("needs the CSRF token", async () => {
    const { agent, sessionId } = await loginAgent(t.app);
    const res = await agent.post(`${P}/auth/logout`).expect(403);
    expect(res.body.error.code).toBe("csrf");
    expect(await storedSession(t.sessions, sessionId)).toBeDefined();
  });

  it("is not a logout over GET", async () => {
    const { agent, sessionId } = await loginAgent(t.app);
    const res = await agent.get(`${P}/auth/logout`).expect(404);
    expect(res.body.error.code).toBe("not_found");
    expect(await storedSession(t.sessions, sessionId)).toBeDefined();
    await agent.get(`${P}/cart`).expect(200);
  });

  it("needs a session", async () => {
    await request(t.app).post(`${P}/auth/logout`).expect(401);
  });
});

describe("GET /auth/me", () => {
  it("returns the user and the session's CSRF token, for a reloaded page", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    const res = await agent.get(`${P}/auth/me`).expect(200);
    expect(res.body).toEqual({
      user: { id: expect.any(String), username: "alice", displayName: "Alice", role: "customer" },
      csrfToken,
    });
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("answers 401 without a session", async () => {
    await request(t.app).get(`${P}/auth/me`).expect(401);
  });
});
