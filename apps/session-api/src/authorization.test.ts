import { csrfHeaderName, decodeTrace, traceHeaderName } from "@repo/contract";
import type request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bob, loginAgent, P, sam, startTestApp, storedSession, type TestApp } from "./testing";

// The session holds only the user's id: the role and the disabled flag are read from the store
// on every request, so a change counts at the next request.
let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

const traceOf = (res: request.Response) => decodeTrace(res.headers[traceHeaderName]);

/** Sam (staff, logged in with a session of his own) changes bob's account through the API. */
async function samChangesBob(bobId: string, change: object) {
  const staff = await loginAgent(t.app, sam);
  await staff.agent
    .patch(`${P}/admin/users/${bobId}`)
    .set(csrfHeaderName, staff.csrfToken)
    .send(change)
    .expect(200);
}

describe("the role, read from the store on every request", () => {
  it("lets staff in and says where the role came from", async () => {
    const staff = await loginAgent(t.app, sam);
    const res = await staff.agent.get(`${P}/admin/users`).expect(200);
    expect(traceOf(res).find((entry) => entry.action === "role checked")?.detail).toBe(
      "role staff, from the store; this route needs staff",
    );
  });

  it("refuses a customer on a staff route with 403 forbidden, still logged in", async () => {
    const bobs = await loginAgent(t.app, bob);
    const res = await bobs.agent.get(`${P}/admin/carts`).expect(403);
    expect(res.body.error.code).toBe("forbidden");
    await bobs.agent.get(`${P}/cart`).expect(200);
  });

  it("counts a promotion and a demotion at the very next request of the same session", async () => {
    const bobs = await loginAgent(t.app, bob);
    await bobs.agent.get(`${P}/admin/users`).expect(403);
    await samChangesBob(bobs.userId, { role: "staff" });
    await bobs.agent.get(`${P}/admin/users`).expect(200);
    const me = await bobs.agent.get(`${P}/auth/me`).expect(200);
    expect(me.body.user.role).toBe("staff");
    await samChangesBob(bobs.userId, { role: "customer" });
    await bobs.agent.get(`${P}/admin/users`).expect(403);
  });

  it("refuses a disabled user's session with 401 at the next request, and deletes it", async () => {
    const bobs = await loginAgent(t.app, bob);
    await samChangesBob(bobs.userId, { disabled: true });
    const res = await bobs.agent.get(`${P}/cart`).expect(401);
    expect(res.body.error.code).toBe("unauthenticated");
    expect(traceOf(res).at(-1)?.detail).toBe("the account is disabled; session deleted");
    expect(await storedSession(t.sessions, bobs.sessionId)).toBeUndefined();
    // Enabled again, the old session stays gone; the password logs in once more.
    await samChangesBob(bobs.userId, { disabled: false });
    await bobs.agent.get(`${P}/cart`).expect(401);
    await loginAgent(t.app, bob);
  });

  it("refuses a deleted user's session with 401 and deletes it", async () => {
    const bobs = await loginAgent(t.app, bob);
    if (t.store.kind !== "sqlite") throw new Error("this test deletes through SQLite");
    t.store.database.prepare("DELETE FROM users WHERE id = ?").run(bobs.userId);
    const res = await bobs.agent.get(`${P}/auth/me`).expect(401);
    expect(traceOf(res).at(-1)?.detail).toBe("account no longer exists; session deleted");
    expect(await storedSession(t.sessions, bobs.sessionId)).toBeUndefined();
  });
});
