import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  loginAgent,
  P,
  signedSidCookie,
  startTestApp,
  storedSession,
  type TestApp,
} from "./testing";

const minute = 60 * 1000;

let t: TestApp;
beforeEach(async () => {
  // Only Date is faked: timers and I/O keep running, so HTTP and SQLite work as usual.
  vi.useFakeTimers({ toFake: ["Date"] });
  t = await startTestApp({
    config: { sessionIdleTimeoutMs: 30 * minute, sessionAbsoluteTimeoutMs: 2 * 60 * minute },
  });
});
afterEach(async () => {
  await t.close();
  vi.useRealTimers();
});

describe("idle timeout (rolling)", () => {
  it("keeps an active session alive past the idle timeout", async () => {
    const { agent } = await loginAgent(t.app);
    for (let step = 0; step < 4; step++) {
      vi.advanceTimersByTime(20 * minute);
      await agent.get(`${P}/cart`).expect(200);
    }
  });

  it("ends a session left alone for longer than the idle timeout", async () => {
    const { agent, sessionId } = await loginAgent(t.app);
    vi.advanceTimersByTime(29 * minute);
    await agent.get(`${P}/cart`).expect(200);
    vi.advanceTimersByTime(31 * minute);
    // The browser would have dropped the cookie by now; send it anyway, as an attacker would.
    const res = await request(t.app)
      .get(`${P}/cart`)
      .set("Cookie", signedSidCookie(sessionId))
      .expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
  });
});

describe("absolute lifetime", () => {
  it("ends even a busy session once it is older than the absolute lifetime", async () => {
    const { sessionId } = await loginAgent(t.app);
    const cookie = signedSidCookie(sessionId);
    for (let step = 0; step < 5; step++) {
      vi.advanceTimersByTime(20 * minute); // up to 1 h 40 min after login
      await request(t.app).get(`${P}/cart`).set("Cookie", cookie).expect(200);
    }
    vi.advanceTimersByTime(25 * minute); // 2 h 5 min after login, well within the idle timeout
    const res = await request(t.app).get(`${P}/cart`).set("Cookie", cookie).expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
    // And it is gone from the store, not just refused.
    expect(await storedSession(t.sessions, sessionId)).toBeUndefined();
  });

  it("is measured on the app's clock (AppDeps.now), not the machine's", async () => {
    let nowMs = Date.now();
    const clocked = await startTestApp({ now: () => nowMs });
    try {
      const { agent } = await loginAgent(clocked.app);
      await agent.get(`${P}/cart`).expect(200);
      // Only the app's clock moves: the cookie's idle expiry (on Date) is nowhere near.
      nowMs += 2 * 60 * minute;
      await agent.get(`${P}/cart`).expect(401);
    } finally {
      await clocked.close();
    }
  });
});
