import {
  adminCartsResponseSchema,
  adminUserResponseSchema,
  adminUsersResponseSchema,
  decodeTrace,
  errorBodySchema,
  traceHeaderName,
} from "@repo/contract";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestShop } from "./test-app";

let shop: Awaited<ReturnType<typeof createTestShop>> | undefined;
afterEach(async () => {
  await shop?.store.close();
  shop = undefined;
});

async function open() {
  shop = await createTestShop({ demo: true });
  return shop;
}

const P = "/api/test/admin";
const errorCode = (body: unknown) => errorBodySchema.parse(body).error.code;
const roleStep = (res: request.Response) =>
  decodeTrace(res.headers[traceHeaderName]).find((entry) => entry.action === "role checked");

describe("the staff routes' gate", () => {
  it("answers 401 without a user, before any role is looked at", async () => {
    const { app } = await open();
    for (const path of ["/users", "/carts"]) {
      const res = await request(app).get(`${P}${path}`);
      expect(res.status).toBe(401);
      expect(errorCode(res.body)).toBe("unauthenticated");
      expect(roleStep(res)).toBeUndefined();
    }
  });

  it("answers 403 forbidden to a customer on every staff route, and says which role it used", async () => {
    const { app, bob } = await open();
    const calls = [
      request(app).get(`${P}/users`),
      request(app).get(`${P}/carts`),
      request(app).patch(`${P}/users/${bob.id}`).send({ role: "staff" }),
    ];
    for (const call of calls) {
      const res = await call.set("x-test-user", "alice");
      expect(res.status).toBe(403);
      expect(errorCode(res.body)).toBe("forbidden");
      expect(roleStep(res)).toEqual({
        step: "lookup_session",
        action: "role checked",
        outcome: "fail",
        detail: "role customer, from the store; this route needs staff",
      });
    }
    expect((await shop?.store.users.findUserById(bob.id))?.role).toBe("customer");
  });

  it("trusts the role it is given, wherever it came from: a staff claim gets through", async () => {
    const { app } = await open();
    const res = await request(app)
      .get(`${P}/users`)
      .set("x-test-user", "alice")
      .set("x-test-role", "staff");
    expect(res.status).toBe(200);
    expect(roleStep(res)?.detail).toBe("role staff, from the token claim; this route needs staff");
  });
});

describe("GET P/admin/users", () => {
  it("lists every user with role and disabled flag, and nothing secret", async () => {
    const { app } = await open();
    const res = await request(app).get(`${P}/users`).set("x-test-user", "sam").expect(200);
    const body = adminUsersResponseSchema.strict().parse(res.body);
    expect(body.users.map(({ username, role, disabled }) => [username, role, disabled])).toEqual([
      ["alice", "customer", false],
      ["bob", "customer", false],
      ["sam", "staff", false],
    ]);
    for (const user of res.body.users)
      expect(Object.keys(user).sort()).toEqual([
        "disabled",
        "displayName",
        "id",
        "role",
        "username",
      ]);
    expect(res.text).not.toMatch(/hash|scrypt|password|tokensValidAfter/i);
    expect(res.headers["cache-control"]).toBe("no-store");
  });
});

describe("PATCH P/admin/users/:id", () => {
  it("changes the role and the disabled flag, answers with the user as it now is, and moves the cut-off", async () => {
    const { app, bob } = await open();
    const before = Date.now();
    const promoted = await request(app)
      .patch(`${P}/users/${bob.id}`)
      .set("x-test-user", "sam")
      .send({ role: "staff" })
      .expect(200);
    expect(adminUserResponseSchema.strict().parse(promoted.body).user).toEqual({
      id: bob.id,
      username: "bob",
      displayName: "Bob",
      role: "staff",
      disabled: false,
    });
    const disabled = await request(app)
      .patch(`${P}/users/${bob.id}`)
      .set("x-test-user", "sam")
      .send({ disabled: true, role: "customer" })
      .expect(200);
    expect(disabled.body.user).toMatchObject({ role: "customer", disabled: true });
    const account = await shop?.store.users.findAccountById(bob.id);
    expect(account).toMatchObject({ role: "customer", disabled: true });
    expect(account?.tokensValidAfterMs).toBeGreaterThanOrEqual(before);
  });

  it("refuses a staff member's change to their own account with 409 own_account, changing nothing", async () => {
    const { app, sam } = await open();
    for (const change of [{ role: "customer" }, { disabled: true }, { role: "staff" }]) {
      const res = await request(app)
        .patch(`${P}/users/${sam.id}`)
        .set("x-test-user", "sam")
        .send(change);
      expect(res.status).toBe(409);
      expect(errorCode(res.body)).toBe("own_account");
    }
    expect(await shop?.store.users.findAccountById(sam.id)).toMatchObject({
      role: "staff",
      disabled: false,
      tokensValidAfterMs: 0,
    });
  });

  it("answers 404 for an unknown id", async () => {
    const { app } = await open();
    const res = await request(app)
      .patch(`${P}/users/no-such-user`)
      .set("x-test-user", "sam")
      .send({ disabled: true });
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe("not_found");
  });

  it("refuses a bad body with 400 invalid_request, changing nothing", async () => {
    const { app, bob } = await open();
    const bodies: unknown[] = [
      {},
      { role: "admin" },
      { disabled: "yes" },
      { role: "staff", username: "mallory" },
      { role: "staff", passwordHash: "x" },
      [],
    ];
    for (const body of bodies) {
      const res = await request(app)
        .patch(`${P}/users/${bob.id}`)
        .set("x-test-user", "sam")
        .send(body as object);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(res.body)).toBe("invalid_request");
    }
    const noBody = await request(app).patch(`${P}/users/${bob.id}`).set("x-test-user", "sam");
    expect(noBody.status).toBe(400);
    expect(await shop?.store.users.findAccountById(bob.id)).toMatchObject({
      username: "bob",
      role: "customer",
      disabled: false,
      tokensValidAfterMs: 0,
    });
  });
});

describe("GET P/admin/carts", () => {
  it("sums every user's cart, empty ones included, without their lines", async () => {
    const { app, store, alice, bob } = await open();
    const [p1, p2] = await store.products.listProducts();
    if (!p1 || !p2) throw new Error("need two products");
    await store.carts.addItem(alice.id, p1.id, 2);
    await store.carts.addItem(alice.id, p2.id, 1);
    await store.carts.addItem(bob.id, p2.id, 5);

    const res = await request(app).get(`${P}/carts`).set("x-test-user", "sam").expect(200);
    const { carts } = adminCartsResponseSchema.strict().parse(res.body);
    expect(
      carts.map(({ user, itemCount, totalCents }) => [user.username, itemCount, totalCents]),
    ).toEqual([
      ["alice", 3, 2 * p1.priceCents + p2.priceCents],
      ["bob", 5, 5 * p2.priceCents],
      ["sam", 0, 0],
    ]);
    expect(res.text).not.toContain(p1.name);
  });
});
