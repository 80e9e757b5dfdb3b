import { sessionLoginResponseSchema } from "@repo/contract";
import { LoginThrottle } from "@repo/shop";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { SessionStoreKind } from "./config";
import {
  alice,
  bob,
  loginAgent,
  P,
  postgresUrl,
  redisUrl,
  sessionIdOf,
  sidSetCookie,
  startTestApp,
  storedSession,
  type TestApp,
} from "./testing";

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
async function open(kind: SessionStoreKind = "sqlite", throttle?: LoginThrottle) {
  const t = await startTestApp({ kind, redisUrl, ...(throttle ? { throttle } : {}) });
  apps.push(t);
  return t;
}

const carol = { username: "carol", password: "tangerine dream", displayName: "Carol" };

describe("POST /auth/signup", () => {
  it("creates a customer and logs them in as a login does: 201, a session and its CSRF token", async () => {
    const t = await open();
    const agent = request.agent(t.app);
    const res = await agent.post(`${P}/auth/signup`).send(carol).expect(201);
    const body = sessionLoginResponseSchema.parse(res.body);
    expect(body.user).toMatchObject({ username: "carol", displayName: "Carol", role: "customer" });
    const sessionId = sessionIdOf(sidSetCookie(res));
    expect(await storedSession(t.sessions, sessionId)).toMatchObject({ userId: body.user.id });
    await agent.get(`${P}/cart`).expect(200);
    const { password, username } = carol;
    await request(t.app).post(`${P}/auth/login`).send({ username, password }).expect(200);
  });

  it("refuses a taken username in any case or form with 409 username_taken, and no session", async () => {
    const t = await open();
    for (const username of ["alice", "ALICE", " Alice "]) {
      const res = await request(t.app)
        .post(`${P}/auth/signup`)
        .send({ ...carol, username })
        .expect(409);
      expect(res.body.error.code).toBe("username_taken");
      expect(sidSetCookie(res)).toBeUndefined();
    }
    await request(t.app).post(`${P}/auth/login`).send(alice).expect(200); // alice is untouched
  });

  it("refuses a short, common or demo password, and an invisible username, with 400", async () => {
    const t = await open();
    for (const [field, value] of [
      ["password", "tangeri"],
      ["password", "Password1"],
      ["password", alice.password],
      ["username", "car\u200bol"],
    ] as const) {
      const res = await request(t.app)
        .post(`${P}/auth/signup`)
        .send({ ...carol, [field]: value })
        .expect(400);
      expect(res.body.error).toMatchObject({ code: "invalid_request", details: [{ path: field }] });
    }
    const ok = { ...carol, password: "x".repeat(128) };
    await request(t.app).post(`${P}/auth/signup`).send(ok).expect(201);
  });

  it("is throttled per address like a login: probing taken names ends in 429", async () => {
    const throttle = new LoginThrottle({ maxFailuresPerAddress: 3 });
    const t = await open("sqlite", throttle);
    for (const username of ["alice", "bob", "sam"]) {
      await request(t.app)
        .post(`${P}/auth/signup`)
        .send({ ...carol, username })
        .expect(409);
    }
    const res = await request(t.app).post(`${P}/auth/signup`).send(carol).expect(429);
    expect(res.headers["retry-after"]).toMatch(/^\d+$/);
  });

  it("counts probes of a name apart from its logins, so probing cannot lock its owner out", async () => {
    const t = await open("sqlite", new LoginThrottle({ maxFailuresPerAccount: 2 }));
    for (let probe = 0; probe < 3; probe++) {
      await request(t.app)
        .post(`${P}/auth/signup`)
        .send({ ...carol, username: "alice" });
    }
    await request(t.app).post(`${P}/auth/login`).send(alice).expect(200);
  });

  it("refuses a foreign Origin with 403 csrf", async () => {
    const t = await open();
    const res = await request(t.app)
      .post(`${P}/auth/signup`)
      .set("Host", "127.0.0.1:5173")
      .set("Origin", "https://evil.example")
      .send(carol)
      .expect(403);
    expect(res.body.error.code).toBe("csrf");
  });
});

const kinds: SessionStoreKind[] = [
  "memory",
  "sqlite",
  ...(redisUrl ? (["redis"] as const) : []),
  ...(postgresUrl ? (["postgres"] as const) : []),
];

describe.each(kinds)("with sessions in %s", (kind) => {
  describe("POST /auth/password", () => {
    it("needs the current password, regenerates this session and ends the user's others", async () => {
      const t = await open(kind);
      const laptop = await loginAgent(t.app);
      const phone = await loginAgent(t.app);
      const bobs = await loginAgent(t.app, bob);
      const change = { currentPassword: alice.password, newPassword: "a brand new passphrase" };
      const res = await laptop.agent
        .post(`${P}/auth/password`)
        .set("X-CSRF-Token", laptop.csrfToken)
        .send(change)
        .expect(200);
      const body = sessionLoginResponseSchema.parse(res.body);
      expect(body.user.username).toBe("alice");
      expect(body.csrfToken).not.toBe(laptop.csrfToken);
      const renewed = sessionIdOf(sidSetCookie(res));
      expect(renewed).not.toBe(laptop.sessionId);
      // The old ids are dead: this browser's and the phone's. Bob's session is not alice's.
      expect(await storedSession(t.sessions, laptop.sessionId)).toBeUndefined();
      expect(await storedSession(t.sessions, phone.sessionId)).toBeUndefined();
      expect(await storedSession(t.sessions, bobs.sessionId)).toBeDefined();
      await phone.agent.get(`${P}/cart`).expect(401);
      await laptop.agent.get(`${P}/cart`).expect(200); // with the renewed cookie
      // The new password logs in; the old one no longer does.
      const login = (password: string) =>
        request(t.app).post(`${P}/auth/login`).send({ username: "alice", password });
      await login(change.newPassword).expect(200);
      await login(alice.password).expect(401);
    });

    it("refuses a wrong current password with 401 invalid_credentials, changing nothing", async () => {
      const t = await open(kind);
      const { agent, csrfToken, sessionId } = await loginAgent(t.app);
      const phone = await loginAgent(t.app);
      const res = await agent
        .post(`${P}/auth/password`)
        .set("X-CSRF-Token", csrfToken)
        .send({ currentPassword: "not it at all", newPassword: "a brand new passphrase" })
        .expect(401);
      expect(res.body.error.code).toBe("invalid_credentials");
      expect(await storedSession(t.sessions, sessionId)).toBeDefined();
      await phone.agent.get(`${P}/cart`).expect(200);
      await request(t.app).post(`${P}/auth/login`).send(alice).expect(200);
    });
  });

  describe("POST /auth/logout-everywhere", () => {
    it("ends every session of the user, this one too, and cuts off their tokens: 204", async () => {
      const t = await open(kind);
      const laptop = await loginAgent(t.app);
      const phone = await loginAgent(t.app);
      const bobs = await loginAgent(t.app, bob);
      const res = await laptop.agent
        .post(`${P}/auth/logout-everywhere`)
        .set("X-CSRF-Token", laptop.csrfToken)
        .expect(204);
      expect(sidSetCookie(res)).toMatch(/^sid=;/);
      expect(res.headers["clear-site-data"]).toBe('"cookies"');
      for (const { sessionId } of [laptop, phone]) {
        expect(await storedSession(t.sessions, sessionId)).toBeUndefined();
      }
      await phone.agent.get(`${P}/cart`).expect(401);
      await bobs.agent.get(`${P}/cart`).expect(200);
      const account = await t.store.users.findAccountById(laptop.userId);
      expect(account?.tokensValidAfterMs).toBeGreaterThan(0);
    });
  });
});

describe("the account routes behind login", () => {
  it("need a session and its CSRF token", async () => {
    const t = await open();
    const change = { currentPassword: alice.password, newPassword: "a brand new passphrase" };
    await request(t.app).post(`${P}/auth/password`).send(change).expect(401);
    await request(t.app).post(`${P}/auth/logout-everywhere`).expect(401);
    const { agent } = await loginAgent(t.app);
    const res = await agent.post(`${P}/auth/password`).send(change).expect(403);
    expect(res.body.error.code).toBe("csrf");
    await agent.post(`${P}/auth/logout-everywhere`).expect(403);
    await agent.get(`${P}/cart`).expect(200);
  });

  it("throttle wrong current passwords on the login's own count: 429, then even login waits", async () => {
    const t = await open();
    const { agent, csrfToken } = await loginAgent(t.app);
    const wrong = { currentPassword: "not it at all", newPassword: "a brand new passphrase" };
    for (let attempt = 0; attempt < 5; attempt++) {
      await agent.post(`${P}/auth/password`).set("X-CSRF-Token", csrfToken).send(wrong);
    }
    const res = await agent
      .post(`${P}/auth/password`)
      .set("X-CSRF-Token", csrfToken)
      .send({ ...wrong, currentPassword: alice.password })
      .expect(429);
    expect(res.body.error.code).toBe("rate_limited");
    await request(t.app).post(`${P}/auth/login`).send(alice).expect(429);
  });
});
