import { jwtLoginResponseSchema } from "@repo/contract";
import { throttleHashingTwoAtOnce } from "@repo/shop/testing";
import { holdNextPasswordCheck } from "@repo/store/testing";
import request from "supertest";
import { describe, expect, it } from "vitest";
import {
  alice,
  bearer,
  bob,
  cookiePair,
  login,
  P,
  refreshSetCookie,
  startTestApp,
  stateStoreKinds,
  type TestApp,
  withTestApp,
} from "./testing";

const carol = { username: "carol", password: "tangerine dream", displayName: "Carol" };
const newPassword = "a brand new passphrase";
const cutoff = { env: { JWT_USER_CUTOFF: "1" } };

const refresh = (t: TestApp, cookie: string) =>
  request(t.app).post(`${P}/auth/refresh`).set("Cookie", cookie);
const changePassword = (t: TestApp, accessToken: string, currentPassword = alice.password) =>
  request(t.app)
    .post(`${P}/auth/password`)
    .set(bearer(accessToken))
    .send({ currentPassword, newPassword });

describe.each(stateStoreKinds)("accounts (tokens in %s)", (kind) => {
  describe("POST /auth/signup", () => {
    it("creates a customer and logs them in as a login does: 201, an access token, a refresh cookie", async () => {
      await withTestApp(kind, {}, async (t) => {
        const res = await request(t.app).post(`${P}/auth/signup`).send(carol).expect(201);
        const body = jwtLoginResponseSchema.parse(res.body);
        expect(body.user).toMatchObject({
          username: "carol",
          displayName: "Carol",
          role: "customer",
        });
        await request(t.app).get(`${P}/cart`).set(bearer(body.accessToken)).expect(200);
        const cookie = cookiePair(refreshSetCookie(res.headers["set-cookie"]));
        await refresh(t, cookie).expect(200);
        const { username, password } = carol;
        await request(t.app).post(`${P}/auth/login`).send({ username, password }).expect(200);
      });
    });

    it("refuses a taken username (409 username_taken) and a common password (400)", async () => {
      await withTestApp(kind, {}, async (t) => {
        const taken = await request(t.app)
          .post(`${P}/auth/signup`)
          .send({ ...carol, username: "Alice" })
          .expect(409);
        expect(taken.body.error.code).toBe("username_taken");
        expect(refreshSetCookie(taken.headers["set-cookie"])).toBe("");
        const weak = await request(t.app)
          .post(`${P}/auth/signup`)
          .send({ ...carol, password: "iloveyou" })
          .expect(400);
        expect(weak.body.error.details).toEqual([
          { path: "password", message: expect.any(String) },
        ]);
      });
    });
  });

  describe("POST /auth/password", () => {
    it("needs the current password, ends every refresh family and gives this client new tokens", async () => {
      await withTestApp(kind, {}, async (t) => {
        const laptop = await login(t.app);
        const phone = await login(t.app);
        const bobs = await login(t.app, bob);
        const res = await changePassword(t, laptop.accessToken).expect(200);
        const body = jwtLoginResponseSchema.parse(res.body);
        const renewed = cookiePair(refreshSetCookie(res.headers["set-cookie"]));
        // Both of alice's old families are gone; the new one works; bob's is untouched.
        await refresh(t, laptop.refreshCookie).expect(401);
        await refresh(t, phone.refreshCookie).expect(401);
        await refresh(t, renewed).expect(200);
        await refresh(t, bobs.refreshCookie).expect(200);
        await request(t.app).get(`${P}/cart`).set(bearer(body.accessToken)).expect(200);
        // Without the cut-off, the phone's access token still works until its exp: the lesson.
        await request(t.app).get(`${P}/cart`).set(bearer(phone.accessToken)).expect(200);
        const logins = (password: string) =>
          request(t.app).post(`${P}/auth/login`).send({ username: "alice", password });
        await logins(newPassword).expect(200);
        await logins(alice.password).expect(401);
      });
    });

    it("with JWT_USER_CUTOFF=1, refuses the access tokens issued before the change", async () => {
      await withTestApp(kind, cutoff, async (t) => {
        const laptop = await login(t.app);
        const phone = await login(t.app);
        // No time passes: a token issued in the very millisecond before the change is refused,
        // and the one the change itself returns is accepted.
        const res = await changePassword(t, laptop.accessToken).expect(200);
        await request(t.app).get(`${P}/cart`).set(bearer(phone.accessToken)).expect(401);
        await request(t.app).get(`${P}/cart`).set(bearer(laptop.accessToken)).expect(401);
        await request(t.app).get(`${P}/cart`).set(bearer(res.body.accessToken)).expect(200);
      });
    });

    it("ends a login that checked the old password while the change was saved: no refresh, no access", async () => {
      await withTestApp(kind, { ...cutoff, throttle: throttleHashingTwoAtOnce() }, async (t) => {
        const laptop = await login(t.app);
        // Someone else, who knows the old password, logs in; their check has read the account...
        const held = holdNextPasswordCheck(t.store.users);
        const thief = request(t.app)
          .post(`${P}/auth/login`)
          .send(alice)
          .then((res) => res);
        let changed: request.Response;
        try {
          await held.checked;
          // ...when alice changes it, revoking every family she has before theirs is saved.
          changed = await changePassword(t, laptop.accessToken).expect(200);
        } finally {
          held.release();
        }
        const stolen = await thief;
        expect(stolen.status).toBe(200); // the check itself had passed
        // The family keeps the cut-off the check read, so refresh ends it; and with the cut-off
        // on, the access token's `cutoff_ms` comes from that read too, so it is refused at once.
        const stolenCookie = cookiePair(refreshSetCookie(stolen.headers["set-cookie"]));
        await refresh(t, stolenCookie).expect(401);
        await request(t.app).get(`${P}/cart`).set(bearer(stolen.body.accessToken)).expect(401);
        await request(t.app).get(`${P}/cart`).set(bearer(changed.body.accessToken)).expect(200);
      });
    });

    it("gives no token to an account disabled while its password was being checked: 401", async () => {
      await withTestApp(kind, {}, async (t) => {
        const account = await t.store.users.findUserByUsername(alice.username);
        if (!account) throw new Error("alice is missing");
        const held = holdNextPasswordCheck(t.store.users);
        const late = request(t.app)
          .post(`${P}/auth/login`)
          .send(alice)
          .then((res) => res);
        try {
          await held.checked;
          await t.store.users.updateAccount(account.id, { disabled: true }, Date.now());
        } finally {
          held.release();
        }
        const res = await late;
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe("invalid_credentials");
        expect(refreshSetCookie(res.headers["set-cookie"])).toBe("");
      });
    });

    it("refuses a wrong current password with 401 invalid_credentials, changing nothing", async () => {
      await withTestApp(kind, {}, async (t) => {
        const { accessToken, refreshCookie } = await login(t.app);
        const res = await changePassword(t, accessToken, "not it at all").expect(401);
        expect(res.body.error.code).toBe("invalid_credentials");
        await refresh(t, refreshCookie).expect(200);
        await request(t.app).post(`${P}/auth/login`).send(alice).expect(200);
      });
    });
  });

  describe("POST /auth/logout-everywhere", () => {
    it("revokes every refresh family of the user, clears this cookie and cuts off tokens: 204", async () => {
      await withTestApp(kind, {}, async (t) => {
        const laptop = await login(t.app);
        const phone = await login(t.app);
        const bobs = await login(t.app, bob);
        const res = await request(t.app)
          .post(`${P}/auth/logout-everywhere`)
          .set(bearer(laptop.accessToken))
          .set("Cookie", laptop.refreshCookie)
          .expect(204);
        expect(refreshSetCookie(res.headers["set-cookie"])).toMatch(/^refresh_token=;/);
        expect(res.headers["clear-site-data"]).toBe('"cookies"');
        await refresh(t, laptop.refreshCookie).expect(401);
        await refresh(t, phone.refreshCookie).expect(401);
        await refresh(t, bobs.refreshCookie).expect(200);
        const account = await t.store.users.findAccountById(laptop.user.id);
        expect(account?.tokensValidAfterMs).toBe(t.clock.now());
      });
    });

    it("with JWT_USER_CUTOFF=1, refuses every access token issued before it", async () => {
      await withTestApp(kind, cutoff, async (t) => {
        const laptop = await login(t.app);
        const phone = await login(t.app);
        await request(t.app) // in the same millisecond as both logins
          .post(`${P}/auth/logout-everywhere`)
          .set(bearer(laptop.accessToken))
          .expect(204);
        await request(t.app).get(`${P}/cart`).set(bearer(phone.accessToken)).expect(401);
        await request(t.app).get(`${P}/cart`).set(bearer(laptop.accessToken)).expect(401);
        await request(t.app).post(`${P}/auth/login`).send(alice).expect(200); // a new login works
      });
    });
  });
});

describe("the account routes behind login", () => {
  it("need an access token, and refuse a foreign Origin", async () => {
    const t = await startTestApp();
    try {
      const change = { currentPassword: alice.password, newPassword };
      await request(t.app).post(`${P}/auth/password`).send(change).expect(401);
      await request(t.app).post(`${P}/auth/logout-everywhere`).expect(401);
      const { accessToken } = await login(t.app);
      for (const path of ["/auth/password", "/auth/logout-everywhere", "/auth/signup"]) {
        const res = await request(t.app)
          .post(`${P}${path}`)
          .set(bearer(accessToken))
          .set("Host", "127.0.0.1:5173")
          .set("Origin", "https://evil.example")
          .send(path === "/auth/signup" ? carol : change)
          .expect(403);
        expect(res.body.error.code).toBe("csrf");
      }
    } finally {
      await t.close();
    }
  });

  it("count sign-ups of a name apart from the logins of every account, `signup:name` included", async () => {
    const t = await startTestApp();
    try {
      const colon = { username: "signup:bob", password: "a colon in my name", displayName: "B" };
      await request(t.app).post(`${P}/auth/signup`).send(colon).expect(201);
      for (let attempt = 0; attempt < 5; attempt++) {
        const taken = { ...carol, username: "bob" };
        await request(t.app).post(`${P}/auth/signup`).send(taken).expect(409);
      }
      const { username, password } = colon;
      await request(t.app).post(`${P}/auth/login`).send({ username, password }).expect(200);
      await request(t.app).post(`${P}/auth/login`).send(bob).expect(200);
    } finally {
      await t.close();
    }
  });

  it("throttle wrong current passwords on the login's own count", async () => {
    const t = await startTestApp();
    try {
      const { accessToken } = await login(t.app);
      for (let attempt = 0; attempt < 5; attempt++) {
        await changePassword(t, accessToken, "not it at all").expect(401);
      }
      const res = await changePassword(t, accessToken).expect(429);
      expect(res.body.error.code).toBe("rate_limited");
      await request(t.app).post(`${P}/auth/login`).send(alice).expect(429);
    } finally {
      await t.close();
    }
  });
});
