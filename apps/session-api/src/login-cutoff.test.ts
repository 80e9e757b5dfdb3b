import { csrfHeaderName, decodeTrace, traceHeaderName } from "@repo/contract";
import type request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bob, loginAgent, P, sam, startTestApp, storedSession, type TestApp } from "./testing";

// A password change or "log out everywhere" ends every login begun before it, even a session the
// store scan never saw: the gate compares the session's login time with the account's cut-off,
// to the millisecond. A role change moves no such cut-off: it counts at the next request instead.
let t: TestApp;
let nowMs: number;
beforeEach(async () => {
  nowMs = Math.ceil(Date.now() / 1000) * 1000; // the app's clock, on a whole second
  t = await startTestApp({ now: () => nowMs });
});
afterEach(async () => {
  await t.close();
});

const lastTraceDetail = (res: request.Response) =>
  decodeTrace(res.headers[traceHeaderName]).at(-1)?.detail;

describe("the logins' cut-off, in requireUser", () => {
  it("refuses a session logged in before it, though no scan deleted it: 401, session deleted", async () => {
    const bobs = await loginAgent(t.app, bob);
    nowMs += 1_000;
    // What "log out everywhere" does to the account, here without the scan of the session store:
    // as from the JWT backend, or for a session saved while the scan ran.
    await t.store.users.cutOffTokens(bobs.userId, nowMs);
    const res = await bobs.agent.get(`${P}/cart`).expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
    expect(lastTraceDetail(res)).toBe(
      `logged in ${new Date(nowMs - 1_000).toISOString()}, before the account's cut-off ${new Date(nowMs).toISOString()}; session deleted`,
    );
    expect(await storedSession(t.sessions, bobs.sessionId)).toBeUndefined();
    const again = await loginAgent(t.app, bob);
    await again.agent.get(`${P}/cart`).expect(200);
  });

  it("compares milliseconds: a login in the cut-off's own second, before it, ends; one at it stays", async () => {
    nowMs += 200;
    const bobs = await loginAgent(t.app, bob);
    nowMs += 500; // the same second, later
    await t.store.users.cutOffTokens(bobs.userId, nowMs);
    const res = await bobs.agent.get(`${P}/cart`).expect(401);
    expect(lastTraceDetail(res)).toBe(
      `logged in ${new Date(nowMs - 500).toISOString()}, before the account's cut-off ${new Date(nowMs).toISOString()}; session deleted`,
    );
    const again = await loginAgent(t.app, bob); // in the cut-off's very millisecond: not before it
    await again.agent.get(`${P}/cart`).expect(200);
  });

  it("keeps the session a password change starts, and ends the one it replaced", async () => {
    const laptop = await loginAgent(t.app, bob);
    nowMs += 1_000;
    const res = await laptop.agent
      .post(`${P}/auth/password`)
      .set(csrfHeaderName, laptop.csrfToken)
      .send({ currentPassword: bob.password, newPassword: "a brand new passphrase" })
      .expect(200);
    expect((await t.store.users.findAccountById(laptop.userId))?.loginsValidAfterMs).toBe(nowMs);
    await laptop.agent.get(`${P}/cart`).expect(200);
    expect(res.body.csrfToken).not.toBe(laptop.csrfToken);
  });

  it("lets the user log in again at once after logging out everywhere", async () => {
    const laptop = await loginAgent(t.app, bob);
    nowMs += 1_000;
    await laptop.agent
      .post(`${P}/auth/logout-everywhere`)
      .set(csrfHeaderName, laptop.csrfToken)
      .expect(204);
    const again = await loginAgent(t.app, bob);
    await again.agent.get(`${P}/cart`).expect(200);
  });

  it("ends no session at a role change: the next request reads the new role instead", async () => {
    const bobs = await loginAgent(t.app, bob);
    const staff = await loginAgent(t.app, sam);
    const changeBob = (change: object) =>
      staff.agent
        .patch(`${P}/admin/users/${bobs.userId}`)
        .set(csrfHeaderName, staff.csrfToken)
        .send(change)
        .expect(200);
    nowMs += 1_000;
    await changeBob({ role: "staff" });
    await bobs.agent.get(`${P}/admin/users`).expect(200);
    nowMs += 1_000;
    await changeBob({ role: "customer" });
    const res = await bobs.agent.get(`${P}/admin/users`).expect(403);
    expect(res.body.error.code).toBe("forbidden");
    await bobs.agent.get(`${P}/cart`).expect(200);
  });
});
