import type { SessionDemoSettingsResponse } from "@repo/contract";
import type { Express } from "express";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { loginAgent, P, redisUrl, startTestApp, type TestApp } from "./testing";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const start = async (options: Parameters<typeof startTestApp>[0] = {}) => {
  t = await startTestApp({ switchable: true, redisUrl, ...options });
  return t.app;
};

const settingsOf = async (app: Express) =>
  (await request(app).get(`${P}/demo/settings`).expect(200)).body as SessionDemoSettingsResponse;

const change = (app: Express, body: unknown) =>
  request(app)
    .patch(`${P}/demo/settings`)
    .send(body as object);

describe("GET and PATCH /demo/settings", () => {
  it("answers the store in force, the configured one and the ones this process can reach", async () => {
    const app = await start();
    const choices = redisUrl ? ["memory", "sqlite", "redis"] : ["memory", "sqlite"];
    expect(await settingsOf(app)).toEqual({
      mode: "session",
      settings: { sessionStore: "sqlite" },
      configured: { sessionStore: "sqlite" },
      choices: { sessionStore: choices },
    });
    const res = await change(app, { sessionStore: "memory" }).expect(200);
    expect(res.body.settings).toEqual({ sessionStore: "memory" });
    expect(res.body.configured).toEqual({ sessionStore: "sqlite" });
    expect(res.headers["cache-control"]).toBe("no-store");
    // Health and the demo state name the store in force.
    expect((await request(app).get(`${P}/health`).expect(200)).body.store.sessions).toBe("memory");
    expect((await request(app).get(`${P}/demo/state`).expect(200)).body.store).toBe("memory");
  });

  it("refuses a request addressed to a name it does not answer to (DNS rebinding), changing nothing", async () => {
    const app = await start();
    // A page at http://evil.example:4000 whose name now points at 127.0.0.1: Origin matches Host.
    const rebound = { Host: "evil.example:4000", Origin: "http://evil.example:4000" };
    const res = await change(app, { sessionStore: "memory" }).set(rebound).expect(400);
    expect(res.body.error.code).toBe("invalid_request");
    await request(app).get(`${P}/demo/state`).set(rebound).expect(400);
    expect((await settingsOf(app)).settings).toEqual({ sessionStore: "sqlite" });
    await change(app, { sessionStore: "memory" }).set("Host", "localhost:4000").expect(200);
  });

  it("keeps ended the sessions left in another store that a password change ended", async () => {
    let nowMs = Date.now();
    const app = await start({ now: () => nowMs });
    const left = await loginAgent(app); // in the configured SQLite store
    await change(app, { sessionStore: "memory" }).expect(200);
    const current = await loginAgent(app);
    nowMs += 1; // the change comes after both logins: the cut-off ends only logins before it
    await current.agent
      .post(`${P}/auth/password`)
      .set("X-CSRF-Token", current.csrfToken)
      .send({ currentPassword: "wonderland42", newPassword: "a brand new passphrase" })
      .expect(200);
    // The change could delete only the sessions of the store in force; the one left behind in
    // SQLite comes back with it, and is refused: it began before the account's cut-off.
    await change(app, { sessionStore: "sqlite" }).expect(200);
    await left.agent.get(`${P}/cart`).expect(401);
  });

  it("refuses an unknown or unreachable store, a non-string, an unknown key and an empty change with 400, changing nothing", async () => {
    const app = await start({ redisUrl: undefined });
    const bad = [
      { sessionStore: "mongo" },
      { sessionStore: "redis" }, // no REDIS_URL here
      { sessionStore: "postgres" }, // the shop is in SQLite
      { sessionStore: 1 },
      { sessionStore: "memory", idleTimeoutSeconds: -1 },
      {},
      [],
    ];
    for (const body of bad) {
      const res = await change(app, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
    expect((await settingsOf(app)).settings).toEqual({ sessionStore: "sqlite" });
  });

  it("refuses a change, a restart or a reset from another site's page with 403 csrf, changing nothing", async () => {
    const app = await start({ kind: "memory" });
    const { agent } = await loginAgent(app);
    for (const origin of ["http://localhost:5174", "http://127.0.0.1:5174"]) {
      const res = await change(app, { sessionStore: "sqlite" }).set("Origin", origin).expect(403);
      expect(res.body.error.code).toBe("csrf");
      await request(app).post(`${P}/demo/restart`).set("Origin", origin).expect(403);
      await request(app).post(`${P}/demo/reset`).set("Origin", origin).expect(403);
    }
    expect((await settingsOf(app)).settings).toEqual({ sessionStore: "memory" });
    await agent.get(`${P}/auth/me`).expect(200); // the restart never ran
    // The lab's own page, through the web app's proxy (Host kept), may change them.
    await change(app, { sessionStore: "sqlite" })
      .set("Host", "127.0.0.1:5173")
      .set("Origin", "http://127.0.0.1:5173")
      .expect(200);
  });

  it("does not exist outside demo mode, nor in production even with DEMO_MODE=1: 404", async () => {
    for (const config of [{ demoMode: false }, { isProduction: true, demoMode: true }]) {
      const app = await start({ config });
      for (const [method, path] of [
        ["get", "settings"],
        ["patch", "settings"],
        ["post", "restart"],
        ["post", "reset"],
        ["get", "session-cart"],
        ["post", "session-cart/items"],
      ] as const) {
        const res = await request(app)
          [method](`${P}/demo/${path}`)
          .send({ sessionStore: "memory" });
        expect(res.status, `${JSON.stringify(config)} ${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe("not_found");
      }
      await t?.close();
      t = undefined;
    }
  });

  it("goes back to the configured store on reset", async () => {
    const app = await start();
    await change(app, { sessionStore: "memory" }).expect(200);
    await request(app).post(`${P}/demo/reset`).expect(204);
    expect((await settingsOf(app)).settings).toEqual({ sessionStore: "sqlite" });
  });
});

describe("POST /demo/restart", () => {
  it("drops every MemoryStore session: the cookie that worked gets 401", async () => {
    const app = await start();
    await change(app, { sessionStore: "memory" }).expect(200);
    const { agent } = await loginAgent(app);
    await agent.get(`${P}/auth/me`).expect(200);
    await request(app).post(`${P}/demo/restart`).expect(204);
    const res = await agent.get(`${P}/auth/me`).expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
  });

  it("keeps SQLite sessions: the same cookie still works", async () => {
    const app = await start();
    const { agent } = await loginAgent(app);
    await request(app).post(`${P}/demo/restart`).expect(204);
    await agent.get(`${P}/auth/me`).expect(200);
  });

  it.skipIf(!redisUrl)("keeps Redis sessions: the same cookie still works", async () => {
    const app = await start();
    await change(app, { sessionStore: "redis" }).expect(200);
    const { agent } = await loginAgent(app);
    await request(app).post(`${P}/demo/restart`).expect(204);
    await agent.get(`${P}/auth/me`).expect(200);
  });

  it("empties a MemoryStore opened without switching too (the conformance suite's kind)", async () => {
    t = await startTestApp({ kind: "memory" });
    const { agent } = await loginAgent(t.app);
    await request(t.app).post(`${P}/demo/restart`).expect(204);
    await agent.get(`${P}/auth/me`).expect(401);
    expect((await settingsOf(t.app)).choices).toEqual({ sessionStore: ["memory"] });
  });

  it("logs out whoever was in memory when the store is switched away, as a restart would", async () => {
    const app = await start();
    await change(app, { sessionStore: "memory" }).expect(200);
    const { agent } = await loginAgent(app);
    await change(app, { sessionStore: "sqlite" }).expect(200);
    await change(app, { sessionStore: "memory" }).expect(200);
    await agent.get(`${P}/auth/me`).expect(401);
  });
});

describe("GET /demo/foreign-requests", () => {
  it("shows a forged cart request from the same-site sibling: the cookie came along, the Origin check refused it", async () => {
    const app = await start();
    const { agent } = await loginAgent(app);
    // The agent's cookie jar attaches sid, as a browser does for a same-site page.
    await agent
      .post(`${P}/cart/items`)
      .set("Origin", "http://127.0.0.1:5174")
      .send({ productId: "claw-hammer", quantity: 1 })
      .expect(403);
    const res = await request(app).get(`${P}/demo/foreign-requests`).expect(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.body.requests).toEqual([
      {
        at: expect.any(String),
        method: "POST",
        path: `${P}/cart/items`,
        origin: "http://127.0.0.1:5174",
        cookies: ["sid"],
        status: 403,
        code: "csrf",
        refusedBy: expect.objectContaining({ step: "lookup_session", action: "Origin checked" }),
      },
    ]);
  });

  it("does not exist in production: 404", async () => {
    const app = await start({ config: { isProduction: true } });
    await request(app).get(`${P}/demo/foreign-requests`).expect(404);
  });
});
