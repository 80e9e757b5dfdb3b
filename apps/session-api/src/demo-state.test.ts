import { sessionDemoStateSchema } from "@repo/contract";
import type { SessionData } from "express-session";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  alice,
  bob,
  loginAgent,
  P,
  redisUrl,
  signedSidCookie,
  startTestApp,
  type TestApp,
} from "./testing";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

describe("GET /demo/state", () => {
  it("shows anonymous callers only a count: no user, no id, no time of anyone's session", async () => {
    const alices = await loginAgent(t.app);
    const bobs = await loginAgent(t.app, bob);
    const res = await request(t.app).get(`${P}/demo/state`).expect(200);
    expect(sessionDemoStateSchema.parse(res.body)).toEqual({
      mode: "session",
      store: "sqlite",
      sessions: [],
      otherSessions: 2,
    });
    const forged = await request(t.app)
      .get(`${P}/demo/state`)
      .set("Cookie", signedSidCookie(alices.sessionId, "not-our-secret-0123456789-abcdefghijkl"))
      .expect(200);
    expect(forged.body).toMatchObject({ sessions: [], otherSessions: 2 });
    expect(JSON.stringify([res.body, forged.body])).not.toMatch(/alice|bob/);
    expect(JSON.stringify([res.body, forged.body])).not.toContain(bobs.userId);
  });

  it("shows a caller every session of its own user in full, and counts the rest", async () => {
    const laptop = await loginAgent(t.app);
    const phone = await loginAgent(t.app);
    const bobs = await loginAgent(t.app, bob);
    const res = await laptop.agent.get(`${P}/demo/state`).expect(200);
    const state = sessionDemoStateSchema.parse(res.body);
    expect(state.sessions.map((row) => row.id).sort()).toEqual(
      [laptop.sessionId, phone.sessionId].map((id) => `${id.slice(0, 6)}…`).sort(),
    );
    expect(state.otherSessions).toBe(1);
    expect(JSON.stringify(res.body)).not.toMatch(/bob/);
    expect(JSON.stringify(res.body)).not.toContain(bobs.userId);
    // Reading the table is not activity: it neither renews the cookie nor touches the session.
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  it("shows the caller's session table with shortened ids and without CSRF tokens", async () => {
    const alice = await loginAgent(t.app);
    const bobSession = await loginAgent(t.app, bob);
    const res = await alice.agent.get(`${P}/demo/state`).expect(200);
    const state = sessionDemoStateSchema.parse(res.body);
    expect(state.store).toBe("sqlite");
    expect(state.sessions.map((row) => row.username)).toEqual(["alice"]);
    const row = state.sessions.find((session) => session.username === "alice");
    expect(row).toMatchObject({
      id: `${alice.sessionId.slice(0, 6)}…`,
      userId: alice.userId,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      absoluteExpiresAt: expect.any(String),
    });
    expect(row?.data).not.toHaveProperty("csrfToken");
    const body = JSON.stringify(res.body);
    for (const secret of [alice.sessionId, alice.csrfToken, bobSession.sessionId]) {
      expect(body).not.toContain(secret);
    }
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("shows the newest 100 sessions, looking each user up once, not once per row", async () => {
    const userId = (await t.store.users.findUserByUsername("alice"))?.id ?? "";
    const startMs = Date.now();
    for (let index = 0; index < 105; index++) {
      const session = {
        cookie: { originalMaxAge: 60_000, expires: new Date(startMs + 60_000) },
        userId,
        loggedInAtMs: startMs + index,
        absoluteExpiresAtMs: startMs + 60_000,
        csrfToken: `token-${index}`,
      } as unknown as SessionData;
      await new Promise((resolve) => t.sessions.store.set(`session-${index}`, session, resolve));
    }
    const findUserById = vi.spyOn(t.store.users, "findUserById");
    const res = await request(t.app)
      .get(`${P}/demo/state`)
      .set("Cookie", signedSidCookie("session-0"))
      .expect(200);
    expect(res.body.sessions).toHaveLength(100);
    expect(res.body.sessions[0].createdAt).toBe(new Date(startMs + 104).toISOString());
    expect(findUserById).toHaveBeenCalledTimes(1);
  });

  it("names the role the gate reads from the store, so a role change shows at once", async () => {
    const alice = await loginAgent(t.app);
    const read = async () =>
      sessionDemoStateSchema.parse((await alice.agent.get(`${P}/demo/state`).expect(200)).body)
        .sessions[0]?.role;
    expect(await read()).toBe("customer");
    await t.store.users.updateAccount(alice.userId, { role: "staff" }, Date.now());
    expect(await read()).toBe("staff");
  });

  it("drops a session from the table at logout", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    await agent.post(`${P}/auth/logout`).set("X-CSRF-Token", csrfToken).expect(204);
    const res = await request(t.app).get(`${P}/demo/state`).expect(200);
    expect(res.body).toMatchObject({ sessions: [], otherSessions: 0 });
  });

  it("does not exist, and no trace header is sent, outside demo mode", async () => {
    const quiet = await startTestApp({ config: { demoMode: false } });
    await request(quiet.app).get(`${P}/demo/state`).expect(404);
    const login = await request(quiet.app).post(`${P}/auth/login`).send(alice).expect(200);
    expect(login.headers["x-auth-trace"]).toBeUndefined();
    await quiet.close();
  });
});

describe.skipIf(!redisUrl)("GET /demo/state with the Redis session store", () => {
  it("never shows a full session id, though connect-redis adds one to every session", async () => {
    const onRedis = await startTestApp({ kind: "redis", redisUrl });
    try {
      const alice = await loginAgent(onRedis.app);
      const res = await alice.agent.get(`${P}/demo/state`).expect(200);
      expect(JSON.stringify(res.body)).not.toContain(alice.sessionId);
      const state = sessionDemoStateSchema.parse(res.body);
      const row = state.sessions.find(
        (session) => session.id === `${alice.sessionId.slice(0, 6)}…`,
      );
      expect(row?.data).toEqual({
        userId: alice.userId,
        loggedInAtMs: expect.any(Number),
        loginCutOffMs: 0,
        absoluteExpiresAtMs: expect.any(Number),
        cookie: expect.objectContaining({ expires: row?.expiresAt, httpOnly: true }),
      });
      await alice.agent.post(`${P}/auth/logout`).set("X-CSRF-Token", alice.csrfToken).expect(204);
    } finally {
      await onRedis.close();
    }
  });
});
