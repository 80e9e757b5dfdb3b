import { startTcpProxy, type TcpProxy } from "@repo/shop/testing";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bob, loginAgent, P, redisUrl, startTestApp, type TestApp } from "./testing";

async function timed<Result>(run: () => Promise<Result>): Promise<[Result, number]> {
  const startMs = performance.now();
  const result = await run();
  return [result, performance.now() - startMs];
}

/** Retries until the cart answers 200 again; returns how long that took. */
async function waitForRecovery(agent: request.Agent): Promise<number> {
  const startMs = performance.now();
  while (performance.now() - startMs < 10_000) {
    const res = await agent.get(`${P}/cart`);
    if (res.status === 200) return performance.now() - startMs;
    expect(res.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the app did not recover within 10 s after Redis came back");
}

// Redis behind a proxy this test controls; the shared Redis itself is never stopped.
describe.skipIf(!redisUrl)("with the Redis session store, when Redis goes away", () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let session: Awaited<ReturnType<typeof loginAgent>>;

  beforeAll(async () => {
    proxy = await startTcpProxy(redisUrl ?? "");
    t = await startTestApp({ kind: "redis", redisUrl: proxy.url });
    session = await loginAgent(t.app);
    await session.agent.get(`${P}/cart`).expect(200);
  });

  afterAll(async () => {
    await session?.agent.post(`${P}/auth/logout`).set("X-CSRF-Token", session.csrfToken);
    await t?.close();
    await proxy?.close();
  });

  it("answers 503 store_unavailable within 2 s while Redis is down, and stays up", async () => {
    await proxy.cut();
    const [res, elapsedMs] = await timed(() => session.agent.get(`${P}/cart`));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("store_unavailable");
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(2000);

    const [login, loginMs] = await timed(() => request(t.app).post(`${P}/auth/login`).send(bob));
    expect(login.status).toBe(503);
    expect(login.headers["set-cookie"]).toBeUndefined();
    expect(loginMs).toBeLessThan(2000);

    await request(t.app).get(`${P}/demo/state`).expect(503);
    // What does not need Redis keeps working, and /health tells whatever is in front.
    await request(t.app).get(`${P}/products`).expect(200);
    const health = await request(t.app).get(`${P}/health`).expect(503);
    expect(health.body.error.code).toBe("store_unavailable");
    expect(Number(health.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("works again when Redis returns, without a restart, and the session survived", async () => {
    await proxy.restore();
    const recoveryMs = await waitForRecovery(session.agent);
    expect(recoveryMs).toBeLessThan(5000);
    await request(t.app).get(`${P}/health`).expect(200);
    const me = await session.agent.get(`${P}/auth/me`).expect(200);
    expect(me.body.csrfToken).toBe(session.csrfToken);
  });

  it("answers 503 within 2 s when Redis stops answering, and recovers when it answers again", async () => {
    proxy.stall();
    const [res, elapsedMs] = await timed(() => session.agent.get(`${P}/cart`));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("store_unavailable");
    expect(elapsedMs).toBeLessThan(2000);
    proxy.resume();
    await waitForRecovery(session.agent);
    const me = await session.agent.get(`${P}/auth/me`).expect(200);
    expect(me.body.user.username).toBe("alice");
  });
});
