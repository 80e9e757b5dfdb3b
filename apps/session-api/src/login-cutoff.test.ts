import { csrfHeaderName, decodeTrace, traceHeaderName } from "@repo/contract";
import { throttleHashingTwoAtOnce } from "@repo/shop/testing";
import { holdNextPasswordCheck } from "@repo/store/testing";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bob, loginAgent, P, sam, startTestApp, storedSession, type TestApp } from "./testing";

// A password change or "log out everywhere" ends every login begun before it, even a session the
// store scan never saw: the gate compares the cut-off the session's login was checked under with
// the account's, which each change moves strictly forward. A role change moves no such cut-off:
// it counts at the next request instead.

const lastTraceDetail = (res: request.Response) =>
  decodeTrace(res.headers[traceHeaderName]).at(-1)?.detail;

describe("the logins' cut-off, in requireUser", () => {
  let t: TestApp;
  let nowMs: number;
  beforeEach(async () => {
    nowMs = Math.ceil(Date.now() / 1000) * 1000; // the app's clock, on a whole second
    t = await startTestApp({ now: () => nowMs });
  });
  afterEach(async () => {
    await t.close();
  });

  it("refuses a session logged in before it, though no scan deleted it: 401, session deleted", async () => {
    const bobs = await loginAgent(t.app, bob);
    nowMs += 1_000;
    // What "log out everywhere" does to the account, here without the scan of the session store:
    // as from the JWT backend, or for a session saved while the scan ran.
    await t.store.users.cutOffTokens(bobs.userId, nowMs);
    const res = await bobs.agent.get(`${P}/cart`).expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
    expect(lastTraceDetail(res)).toBe(
      `the account's cut-off moved to ${new Date(nowMs).toISOString()}, after this login's password check; session deleted`,
    );
    expect(await storedSession(t.sessions, bobs.sessionId)).toBeUndefined();
    const again = await loginAgent(t.app, bob);
    await again.agent.get(`${P}/cart`).expect(200);
  });

  it("reads no clock: a change in the login's own millisecond, or on a clock behind, still ends it", async () => {
    const first = await loginAgent(t.app, bob);
    await t.store.users.cutOffTokens(first.userId, nowMs); // the very millisecond of the login
    await first.agent.get(`${P}/cart`).expect(401);
    const second = await loginAgent(t.app, bob); // logged in under the cut-off just moved
    await second.agent.get(`${P}/cart`).expect(200);
    await t.store.users.cutOffTokens(second.userId, nowMs - 60_000); // another instance, behind
    await second.agent.get(`${P}/cart`).expect(401);
    const third = await loginAgent(t.app, bob);
    await third.agent.get(`${P}/cart`).expect(200);
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

describe("the logins' cut-off, against a login that raced a password change", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ throttle: throttleHashingTwoAtOnce() });
  });
  afterEach(async () => {
    await t.close();
  });

  it("ends a login that checked the old password while a change was saved: its next request is 401", async () => {
    const laptop = await loginAgent(t.app, bob);
    // Someone else, who knows the old password, logs in; their check has read the account...
    const held = holdNextPasswordCheck(t.store.users);
    const thief = request.agent(t.app);
    const login = thief
      .post(`${P}/auth/login`)
      .send(bob)
      .then((res) => res);
    try {
      await held.checked;
      // ...when bob changes the password, ending every session he has, and the store scan runs
      // before the thief's session is even saved.
      const change = { currentPassword: bob.password, newPassword: "a brand new passphrase" };
      await laptop.agent
        .post(`${P}/auth/password`)
        .set(csrfHeaderName, laptop.csrfToken)
        .send(change)
        .expect(200);
    } finally {
      held.release();
    }
    expect((await login).status).toBe(200); // the check itself had passed
    const res = await thief.get(`${P}/cart`).expect(401);
    expect(lastTraceDetail(res)).toMatch(/after this login's password check; session deleted$/);
    await laptop.agent.get(`${P}/cart`).expect(200); // the session the change started stays
  });
});
