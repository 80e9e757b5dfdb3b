import { jwtDemoStateSchema } from "@repo/contract";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { bearer, bob, login, P, stateStoreKinds, withTestApp } from "./testing";

describe.each(stateStoreKinds)("GET /demo/state (tokens in %s)", (kind) => {
  it("shows anonymous callers only a count of refresh tokens: no user, family or time", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const alices = await login(app);
      const bobs = await login(app, bob);
      const anonymous = await request(app).get(`${P}/demo/state`).expect(200);
      const forged = await request(app)
        .get(`${P}/demo/state`)
        .set(bearer(`${alices.accessToken.slice(0, -4)}AAAA`))
        .expect(200);
      for (const res of [anonymous, forged]) {
        const state = jwtDemoStateSchema.parse(res.body);
        expect(state.refreshTokens).toEqual([]);
        expect(state.otherRefreshTokens).toBe(2);
        const text = JSON.stringify(res.body);
        expect(text).not.toMatch(/alice|bob/);
        for (const id of [alices.user.id, bobs.user.id]) expect(text).not.toContain(id);
      }
    });
  });

  it("shows a caller the refresh tokens of its own user in full, and counts the rest", async () => {
    await withTestApp(kind, {}, async ({ app }) => {
      const laptop = await login(app);
      await login(app); // alice's phone
      const bobs = await login(app, bob);
      const res = await request(app).get(`${P}/demo/state`).set(bearer(laptop.accessToken));
      const state = jwtDemoStateSchema.parse(res.body);
      expect(state.refreshTokens.map((row) => row.username)).toEqual(["alice", "alice"]);
      expect(new Set(state.refreshTokens.map((row) => row.family)).size).toBe(2);
      expect(state.otherRefreshTokens).toBe(1);
      expect(JSON.stringify(res.body)).not.toContain(bobs.user.id);
      // Checking who asks is not a request of the workflow: the inspector hears nothing of it.
      expect(res.headers["x-auth-trace"]).toBeUndefined();
    });
  });

  it("takes a token the gate would refuse (denylisted, cut off) for no caller at all", async () => {
    const env = { JWT_DENYLIST: "1", JWT_USER_CUTOFF: "1" };
    await withTestApp(kind, { env }, async ({ app, store }) => {
      const loggedOut = await login(app);
      await request(app)
        .post(`${P}/auth/logout`)
        .set(bearer(loggedOut.accessToken))
        .set("Cookie", loggedOut.refreshCookie)
        .expect(204);
      const cutOff = await login(app, bob);
      await store.users.cutOffTokens(cutOff.user.id, Date.now());
      for (const token of [loggedOut.accessToken, cutOff.accessToken]) {
        const res = await request(app).get(`${P}/demo/state`).set(bearer(token)).expect(200);
        expect(jwtDemoStateSchema.parse(res.body).refreshTokens).toEqual([]);
      }
    });
  });
});
