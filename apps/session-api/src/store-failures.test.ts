import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { alice, loginAgent, P, startTestApp, storedSession, type TestApp } from "./testing";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

function failOnce(method: "get" | "set" | "destroy") {
  const store = t.sessions.store as unknown as Record<string, (...args: unknown[]) => void>;
  return vi.spyOn(store, method).mockImplementationOnce((...args: unknown[]) => {
    const callback = args.at(-1) as (error: Error) => void;
    callback(new Error("disk I/O error"));
  });
}

describe("a failing session store", () => {
  it("gives 503 store_unavailable, not 500, when a session cannot be loaded", async () => {
    const { agent } = await loginAgent(t.app);
    failOnce("get");
    const res = await agent.get(`${P}/cart`).expect(503);
    expect(res.body.error.code).toBe("store_unavailable");
  });

  it("does not delete the session after a failed load, so a hiccup logs nobody out", async () => {
    const { agent, sessionId } = await loginAgent(t.app);
    const destroy = vi.spyOn(t.sessions.store, "destroy");
    failOnce("get");
    await agent.get(`${P}/cart`).expect(503);
    expect(destroy).not.toHaveBeenCalled();
    expect(await storedSession(t.sessions, sessionId)).toBeDefined();
    await agent.get(`${P}/cart`).expect(200);
  });

  it("sends no cookie when the session cannot be saved at login", async () => {
    failOnce("set");
    const login = await request(t.app).post(`${P}/auth/login`).send(alice).expect(503);
    expect(login.body.error.code).toBe("store_unavailable");
    expect(login.headers["set-cookie"]).toBeUndefined();
  });

  it("keeps the session when logout cannot delete it, and says so with 503", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    failOnce("destroy");
    const res = await agent.post(`${P}/auth/logout`).set("X-CSRF-Token", csrfToken).expect(503);
    expect(res.headers["set-cookie"]).toBeUndefined();
    await agent.post(`${P}/auth/logout`).set("X-CSRF-Token", csrfToken).expect(204);
  });
});
