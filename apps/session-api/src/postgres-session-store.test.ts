import { LoginThrottle } from "@repo/shop";
import { startTcpProxy, type TcpProxy } from "@repo/shop/testing";
import {
  insecureFastScryptParamsForTests,
  openPostgresStore,
  type PostgresShopStore,
} from "@repo/store";
import {
  openPostgresTestStore,
  postgresTestSchemas,
  postgresUrlForTests,
} from "@repo/store/testing";
import type { SessionData } from "express-session";
import request from "supertest";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "./app";
import { openPostgresSessionStore, type PostgresSessionStore } from "./postgres-session-store";
import { openSessionStore, type SessionStoreHandle } from "./session-stores";
import { loginAgent, P, signedSidCookie, startTestApp, type TestApp, testConfig } from "./testing";

const postgresUrl = postgresUrlForTests("the PostgreSQL session store tests");
const minute = 60 * 1000;

function sessionExpiringIn(ms: number, extra: Record<string, unknown> = {}): SessionData {
  return {
    cookie: { originalMaxAge: ms, expires: new Date(Date.now() + ms), httpOnly: true, path: "/" },
    ...extra,
  } as unknown as SessionData;
}

function call<Value>(run: (done: (error?: unknown, value?: Value) => void) => void) {
  return new Promise<Value | undefined>((resolve, reject) =>
    run((error, value) => (error ? reject(error) : resolve(value))),
  );
}

describe.skipIf(!postgresUrl)("PostgresSessionStore", () => {
  let shop: PostgresShopStore;
  let store: PostgresSessionStore;
  beforeEach(async () => {
    shop = await openPostgresTestStore(String(postgresUrl), "sessions", { demoUsers: false });
    store = await openPostgresSessionStore(shop.database, () => {});
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    store.close();
    await shop.close();
  });

  const expiryOf = async (sid: string) =>
    (
      await shop.database.query<{ expires_at_ms: number }>(
        "SELECT expires_at_ms FROM sessions WHERE sid = $1",
        [sid],
      )
    ).rows[0]?.expires_at_ms;

  it("stores, reads and destroys a session", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute, { userId: "u1" }), done));
    const read = await call<SessionData | null>((done) => store.get("a", done));
    expect(read).toMatchObject({ userId: "u1" });
    expect(new Date(read?.cookie.expires ?? 0).getTime()).toBe(await expiryOf("a"));
    await call((done) => store.destroy("a", done));
    expect(await call((done) => store.get("a", done))).toBeNull();
  });

  it("never returns an expired session", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute), done));
    vi.advanceTimersByTime(31 * minute);
    expect(await call((done) => store.get("a", done))).toBeNull();
    expect(await call<number>((done) => store.length(done))).toBe(0);
    expect(await call((done) => store.all(done))).toEqual({});
  });

  it("prunes expired rows and keeps live ones", async () => {
    await call((done) => store.set("old", sessionExpiringIn(1 * minute), done));
    await call((done) => store.set("live", sessionExpiringIn(60 * minute), done));
    vi.advanceTimersByTime(2 * minute);
    expect(await store.prune()).toBe(1);
    expect(await expiryOf("old")).toBeUndefined();
    expect(await expiryOf("live")).toBeDefined();
  });

  it("touch writes only when the expiry moved by more than a minute, and never revives", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute), done));
    const stored = await expiryOf("a");
    vi.advanceTimersByTime(30 * 1000);
    await call((done) => store.touch("a", sessionExpiringIn(30 * minute), done));
    expect(await expiryOf("a")).toBe(stored); // 30 s later: no write
    vi.advanceTimersByTime(60 * 1000);
    await call((done) => store.touch("a", sessionExpiringIn(30 * minute), done));
    expect(await expiryOf("a")).toBe(Date.now() + 30 * minute);
    vi.advanceTimersByTime(31 * minute);
    await call((done) => store.touch("a", sessionExpiringIn(30 * minute), done));
    expect(await call((done) => store.get("a", done))).toBeNull();
  });

  it("lists live sessions by id, soonest expiry first, for the demo state", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute, { userId: "u1" }), done));
    await call((done) => store.set("b", sessionExpiringIn(10 * minute, { userId: "u2" }), done));
    const all = await call<Record<string, SessionData>>((done) => store.all(done));
    expect(Object.keys(all ?? {})).toEqual(["b", "a"]);
  });

  it("refuses a session whose cookie has no expiry, which this app never makes", async () => {
    const endless = { cookie: { originalMaxAge: null, httpOnly: true, path: "/" } };
    await expect(
      call((done) => store.set("a", endless as unknown as SessionData, done)),
    ).rejects.toThrow(/without an expiry/);
    expect(await expiryOf("a")).toBeUndefined();
  });
});

describe.skipIf(!postgresUrl)("two instances on one PostgreSQL database", () => {
  const schemas = postgresTestSchemas(String(postgresUrl), "sessions_shared");
  const instances: { shop: PostgresShopStore; sessions: SessionStoreHandle }[] = [];
  afterAll(async () => {
    for (const { shop, sessions } of instances) {
      await sessions.close();
      await shop.close();
    }
    await schemas.dropAll();
  });

  async function startInstance(url: string) {
    const shop = await openPostgresStore({
      url,
      scrypt: insecureFastScryptParamsForTests,
      log: () => {},
    });
    const sessions = await openSessionStore("postgres", { postgres: shop.database, log: () => {} });
    instances.push({ shop, sessions });
    const deps = { config: testConfig, store: shop, sessions, throttle: new LoginThrottle() };
    return createApp({ ...deps, log: () => {} });
  }

  it("finds a session made by one instance on the other, and a logout on one ends it on both", async () => {
    const url = await schemas.create();
    const [one, two] = await Promise.all([startInstance(url), startInstance(url)]);
    const { agent, csrfToken, sessionId } = await loginAgent(one);
    const cookie = signedSidCookie(sessionId);
    await request(two).get(`${P}/auth/me`).set("Cookie", cookie).expect(200);
    await request(two)
      .post(`${P}/auth/logout`)
      .set("Cookie", cookie)
      .set("X-CSRF-Token", csrfToken)
      .expect(204);
    await agent.get(`${P}/auth/me`).expect(401);
  });
});

// PostgreSQL behind a proxy this test controls; the shared server itself is never stopped.
describe.skipIf(!postgresUrl)("with the PostgreSQL stores, when PostgreSQL goes away", () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let session: Awaited<ReturnType<typeof loginAgent>>;

  beforeAll(async () => {
    proxy = await startTcpProxy(String(postgresUrl));
    t = await startTestApp({ kind: "postgres", postgresUrl: proxy.url });
    session = await loginAgent(t.app);
    await session.agent.get(`${P}/cart`).expect(200);
  });
  afterAll(async () => {
    proxy?.resume();
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  async function timed<Result>(run: () => Promise<Result>): Promise<[Result, number]> {
    const startMs = performance.now();
    const result = await run();
    return [result, performance.now() - startMs];
  }

  /** Retries until the cart answers 200 again; fails after 10 s. */
  async function waitForRecovery(): Promise<void> {
    const startMs = performance.now();
    while (performance.now() - startMs < 10_000) {
      const res = await session.agent.get(`${P}/cart`);
      if (res.status === 200) return;
      expect(res.status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the app did not recover within 10 s after PostgreSQL came back");
  }

  it("answers 503 store_unavailable within 2 s while PostgreSQL is cut off, and stays up", async () => {
    await proxy.cut();
    for (const send of [
      () => session.agent.get(`${P}/cart`),
      () => request(t.app).post(`${P}/auth/login`).send({ username: "bob", password: "builder42" }),
      () => request(t.app).get(`${P}/products`),
      () => request(t.app).get(`${P}/health`),
    ]) {
      const [res, elapsedMs] = await timed(send);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("store_unavailable");
      expect(res.headers["set-cookie"]).toBeUndefined();
      expect(elapsedMs).toBeLessThan(2000);
    }
  });

  it("works again when PostgreSQL returns, without a restart, and the session survived", async () => {
    await proxy.restore();
    await waitForRecovery();
    const me = await session.agent.get(`${P}/auth/me`).expect(200);
    expect(me.body.csrfToken).toBe(session.csrfToken);
  });

  it("answers 503 within 2 s when PostgreSQL stops answering, and recovers when it answers again", async () => {
    proxy.stall();
    const [res, elapsedMs] = await timed(() => session.agent.get(`${P}/cart`));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("store_unavailable");
    expect(elapsedMs).toBeLessThan(2000);
    proxy.resume();
    await waitForRecovery();
    await session.agent.get(`${P}/auth/me`).expect(200);
  });
});
