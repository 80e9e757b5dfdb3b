import { decodeTrace, traceHeaderName } from "@repo/contract";
import request from "supertest";
import { describe, expect, it } from "vitest";
import {
  bearer,
  bob,
  craftToken,
  login,
  P,
  sam,
  stateStoreKinds,
  type TestApp,
  withTestApp,
} from "./testing";

// The JWT gate trusts the token's `role` claim until `exp` and asks the store nothing; refresh
// reads the store; JWT_USER_CUTOFF=1 refuses tokens older than the account's last change.
const cutoff = { env: { JWT_USER_CUTOFF: "1" } };

const staffList = (t: TestApp, accessToken: string) =>
  request(t.app).get(`${P}/admin/users`).set(bearer(accessToken));
const refresh = (t: TestApp, cookie: string) =>
  request(t.app).post(`${P}/auth/refresh`).set("Cookie", cookie);
const traceOf = (res: request.Response) => decodeTrace(res.headers[traceHeaderName]);

/** Sam (staff) changes bob's account, in the same millisecond as bob's last login. */
async function samChangesBob(t: TestApp, change: object) {
  const staff = await login(t.app, sam);
  const bobId = (await t.store.users.findUserByUsername("bob"))?.id;
  await request(t.app)
    .patch(`${P}/admin/users/${bobId}`)
    .set(bearer(staff.accessToken))
    .send(change)
    .expect(200);
}

/** Deletes an account the way an operator would, behind the API's back. */
async function deleteUser(t: TestApp, username: string) {
  const sql = "DELETE FROM users WHERE username_canonical = ";
  if (t.store.kind === "sqlite") t.store.database.prepare(`${sql}?`).run(username);
  else await t.store.database.query(`${sql}$1`, [username]);
}

async function bobAsStaff(t: TestApp) {
  const bobId = (await t.store.users.findUserByUsername("bob"))?.id ?? "";
  await t.store.users.updateAccount(bobId, { role: "staff" }, t.clock.now());
  t.clock.advanceSeconds(1);
  return login(t.app, bob);
}

describe("the role claim", () => {
  it("puts the role in the token and trusts it without a user lookup, saying so in the trace", async () => {
    await withTestApp("sqlite", {}, async (t) => {
      const { accessToken, user } = await login(t.app, sam);
      expect(user.role).toBe("staff");
      const res = await staffList(t, accessToken).expect(200);
      expect(traceOf(res).map((entry) => entry.action)).toContain("claims trusted, no user lookup");
      expect(traceOf(res).find((entry) => entry.action === "role checked")?.detail).toBe(
        "role staff, from the token claim; this route needs staff",
      );
    });
  });

  it("refuses a customer's token on a staff route with 403 forbidden", async () => {
    await withTestApp("sqlite", {}, async (t) => {
      const { accessToken } = await login(t.app, bob);
      const res = await staffList(t, accessToken).expect(403);
      expect(res.body.error.code).toBe("forbidden");
    });
  });

  it("cannot be raised by editing the payload: the signature no longer matches", async () => {
    await withTestApp("sqlite", {}, async (t) => {
      const { accessToken } = await login(t.app, bob);
      const [header, payload, signature] = accessToken.split(".");
      const claims = JSON.parse(Buffer.from(String(payload), "base64url").toString());
      const raised = Buffer.from(JSON.stringify({ ...claims, role: "staff" })).toString(
        "base64url",
      );
      const res = await staffList(t, `${header}.${raised}.${signature}`).expect(401);
      expect(res.body.error.code).toBe("unauthenticated");
      // Signed with a key we do not hold: refused the same way.
      const forged = craftToken({ alg: "HS256", typ: "at+jwt" }, { ...claims, role: "staff" }, "k");
      await staffList(t, forged).expect(401);
    });
  });
});

describe.each(stateStoreKinds)("stale claims (tokens in %s)", (kind) => {
  it("lets a demoted staff member keep staff access until the token expires; refresh brings the new role", async () => {
    await withTestApp(kind, {}, async (t) => {
      const staffBob = await bobAsStaff(t);
      await staffList(t, staffBob.accessToken).expect(200);
      await samChangesBob(t, { role: "customer" });
      // The token still says staff, and nobody asks the store: the lesson.
      await staffList(t, staffBob.accessToken).expect(200);
      const refreshed = await refresh(t, staffBob.refreshCookie).expect(200);
      expect(refreshed.body.user.role).toBe("customer");
      await staffList(t, refreshed.body.accessToken).expect(403);
    });
  });

  it("lets a disabled user's access token work until it expires, and refuses the refresh, revoking the family", async () => {
    await withTestApp(kind, {}, async (t) => {
      const bobs = await login(t.app, bob);
      await samChangesBob(t, { disabled: true });
      await request(t.app).get(`${P}/cart`).set(bearer(bobs.accessToken)).expect(200);
      const refused = await refresh(t, bobs.refreshCookie).expect(401);
      const checked = traceOf(refused).find((entry) => entry.action === "refresh token checked");
      expect(checked?.detail).toBe("the account is disabled");
      // Enabled again, the old family stays dead: only a new login gets a refresh token.
      const bobId = (await t.store.users.findUserByUsername("bob"))?.id ?? "";
      await t.store.users.updateAccount(bobId, { disabled: false }, t.clock.now());
      await refresh(t, bobs.refreshCookie).expect(401);
      // Past its expiry the access token is finally dead too.
      t.clock.advanceSeconds(15 * 60 + 6);
      expect(
        (await request(t.app).get(`${P}/cart`).set(bearer(bobs.accessToken))).body.error.code,
      ).toBe("token_expired");
    });
  });

  it("lets a deleted user's token read but not write, and refuses /auth/me and refresh", async () => {
    await withTestApp(kind, {}, async (t) => {
      const bobs = await login(t.app, bob);
      await deleteUser(t, "bob");
      await request(t.app).get(`${P}/cart`).set(bearer(bobs.accessToken)).expect(200);
      const write = await request(t.app)
        .post(`${P}/cart/items`)
        .set(bearer(bobs.accessToken))
        .send({ productId: "claw-hammer", quantity: 1 })
        .expect(401);
      expect(write.body.error.code).toBe("unauthenticated");
      await request(t.app).get(`${P}/auth/me`).set(bearer(bobs.accessToken)).expect(401);
      await refresh(t, bobs.refreshCookie).expect(401);
    });
  });
});

describe.each(stateStoreKinds)("JWT_USER_CUTOFF=1 (tokens in %s)", (kind) => {
  it("refuses a demoted staff member's older token at once; the refreshed token carries the new role", async () => {
    await withTestApp(kind, cutoff, async (t) => {
      const staffBob = await bobAsStaff(t);
      await staffList(t, staffBob.accessToken).expect(200);
      await samChangesBob(t, { role: "customer" });
      const res = await staffList(t, staffBob.accessToken).expect(401);
      expect(res.body.error.code).toBe("unauthenticated");
      expect(traceOf(res).at(-1)).toMatchObject({
        action: "account checked against its cut-off",
        outcome: "fail",
        detail: expect.stringMatching(/^signed under the account's cut-off .+, since moved to .+/),
      });
      // A role change does not end the login: refresh issues a token the cut-off accepts.
      const refreshed = await refresh(t, staffBob.refreshCookie).expect(200);
      const forbidden = await staffList(t, refreshed.body.accessToken).expect(403);
      expect(traceOf(forbidden).find((entry) => entry.action === "role checked")?.detail).toBe(
        "role customer, from the store; this route needs staff",
      );
    });
  });

  it("refuses a disabled or deleted account's token at once", async () => {
    await withTestApp(kind, cutoff, async (t) => {
      const bobs = await login(t.app, bob);
      await request(t.app).get(`${P}/cart`).set(bearer(bobs.accessToken)).expect(200);
      const bobId = (await t.store.users.findUserByUsername("bob"))?.id ?? "";
      // Disabled in the same second as the login: refused all the same, for being disabled.
      await t.store.users.updateAccount(bobId, { disabled: true }, t.clock.now());
      const res = await request(t.app).get(`${P}/cart`).set(bearer(bobs.accessToken)).expect(401);
      expect(traceOf(res).at(-1)?.detail).toBe("the account is disabled");

      const alices = await login(t.app);
      await deleteUser(t, "alice");
      const gone = await request(t.app).get(`${P}/cart`).set(bearer(alices.accessToken));
      expect(gone.status).toBe(401);
      expect(traceOf(gone).at(-1)?.detail).toBe("no such user any more");
    });
  });

  it("refuses tokens issued before a cut-off (log out everywhere, a new password), and accepts those after", async () => {
    await withTestApp(kind, cutoff, async (t) => {
      const before = await login(t.app, bob);
      const bobId = (await t.store.users.findUserByUsername("bob"))?.id ?? "";
      // In the very millisecond the token was issued: it predates the change all the same.
      await t.store.users.cutOffTokens(bobId, t.clock.now());
      await request(t.app).get(`${P}/cart`).set(bearer(before.accessToken)).expect(401);
      // Issued after the cut-off, in the same millisecond: accepted.
      const after = await login(t.app, bob);
      await request(t.app).get(`${P}/cart`).set(bearer(after.accessToken)).expect(200);
    });
  });

  it("refuses a token signed before a change even when the change's clock is behind", async () => {
    await withTestApp(kind, cutoff, async (t) => {
      const bobId = (await t.store.users.findUserByUsername("bob"))?.id ?? "";
      const changedAtMs = t.clock.now();
      await t.store.users.cutOffTokens(bobId, changedAtMs + 1000); // an earlier change
      t.clock.advanceSeconds(5);
      const before = await login(t.app, bob);
      // Another instance, its clock a little behind, or a change timed when it began (a
      // password change hashes for a while before it is stored): the token still predates it.
      await t.store.users.cutOffTokens(bobId, changedAtMs);
      await request(t.app).get(`${P}/cart`).set(bearer(before.accessToken)).expect(401);
      const after = await login(t.app, bob);
      await request(t.app).get(`${P}/cart`).set(bearer(after.accessToken)).expect(200);
    });
  });

  it("lets a cut-off token log out with its refresh cookie: the family is revoked, 204", async () => {
    await withTestApp(kind, cutoff, async (t) => {
      const bobs = await login(t.app, bob);
      await samChangesBob(t, { role: "staff" });
      await request(t.app)
        .post(`${P}/auth/logout`)
        .set(bearer(bobs.accessToken))
        .set("Cookie", bobs.refreshCookie)
        .expect(204);
      await refresh(t, bobs.refreshCookie).expect(401);
    });
  });

  it("is off by default: the same older token still works without the setting", async () => {
    await withTestApp(kind, {}, async (t) => {
      const before = await login(t.app, bob);
      const bobId = (await t.store.users.findUserByUsername("bob"))?.id ?? "";
      t.clock.advanceSeconds(1);
      await t.store.users.cutOffTokens(bobId, t.clock.now());
      await request(t.app).get(`${P}/cart`).set(bearer(before.accessToken)).expect(200);
    });
  });

  it("can be switched on at run time in demo mode, and then applies to tokens already issued", async () => {
    await withTestApp(kind, {}, async (t) => {
      const staffBob = await bobAsStaff(t);
      await samChangesBob(t, { role: "customer" });
      await staffList(t, staffBob.accessToken).expect(200);
      await request(t.app).patch(`${P}/demo/settings`).send({ userCutoff: true }).expect(200);
      await staffList(t, staffBob.accessToken).expect(401);
    });
  });
});
