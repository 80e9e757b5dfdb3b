import { cartSchema, productsResponseSchema } from "@repo/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aliceAccount, bobAccount } from "./demo-data";
import type { Driver } from "./driver";
import { errorCode } from "./http";
import { type RunningBackend, startBackend, storeKinds } from "./servers";

// One flow, run unchanged against both backends: the promise of the whole project. On SQLite,
// and on PostgreSQL too when DATABASE_URL is set.
const cases = storeKinds.flatMap((stores) =>
  (["session", "jwt"] as const).map((mode) => [mode, stores] as const),
);

describe.each(cases)("the cart flow, %s mode, on %s", (mode, stores) => {
  let backend: RunningBackend;
  let alice: Driver;
  let productIds: string[];

  beforeAll(async () => {
    backend = await startBackend(mode, stores);
    alice = backend.newDriver();
  });
  afterAll(async () => {
    await backend.close();
  });

  it("lists products to anyone", async () => {
    const reply = await alice.anonymous("GET", "/products");
    expect(reply.status).toBe(200);
    productIds = productsResponseSchema.parse(reply.body).products.map((product) => product.id);
    expect(productIds.length).toBeGreaterThanOrEqual(6);
  });

  it("refuses the cart before login with 401 unauthenticated", async () => {
    const reply = await alice.authed("GET", "/cart");
    expect([reply.status, errorCode(reply)]).toEqual([401, "unauthenticated"]);
  });

  it("logs alice in and keeps two products in her cart", async () => {
    expect((await alice.login(aliceAccount.username, aliceAccount.password)).status).toBe(200);
    const [first = "", second = ""] = productIds;
    expect(
      (await alice.authed("POST", "/cart/items", { body: { productId: first, quantity: 2 } }))
        .status,
    ).toBe(200);
    const added = await alice.authed("POST", "/cart/items", {
      body: { productId: second, quantity: 1 },
    });
    expect(added.status).toBe(200);
    const cart = cartSchema.parse((await alice.authed("GET", "/cart")).body);
    expect(cart.items.map((line) => [line.productId, line.quantity])).toEqual([
      [first, 2],
      [second, 1],
    ]);
  });

  it("still has the cart after navigating away and coming back", async () => {
    const before = (await alice.authed("GET", "/cart")).body;
    alice = await alice.reopen();
    const after = await alice.authed("GET", "/cart");
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
  });

  it("changes a quantity and removes a line", async () => {
    const [first = "", second = ""] = productIds;
    const changed = await alice.authed("PATCH", `/cart/items/${first}`, { body: { quantity: 5 } });
    expect(cartSchema.parse(changed.body).items[0]).toMatchObject({
      productId: first,
      quantity: 5,
    });
    const removed = cartSchema.parse((await alice.authed("DELETE", `/cart/items/${second}`)).body);
    expect(removed.items.map((line) => line.productId)).toEqual([first]);
    expect(removed.itemCount).toBe(5);
  });

  it("logs out, after which the cart is unreachable", async () => {
    expect((await alice.logout()).status).toBe(204);
    const reply = await alice.authed("GET", "/cart");
    expect([reply.status, errorCode(reply)]).toEqual([401, "unauthenticated"]);
  });

  it("shows bob his own empty cart, and alice hers when she returns", async () => {
    const bob = backend.newDriver();
    expect((await bob.login(bobAccount.username, bobAccount.password)).status).toBe(200);
    expect(cartSchema.parse((await bob.authed("GET", "/cart")).body).items).toEqual([]);

    expect((await alice.login(aliceAccount.username, aliceAccount.password)).status).toBe(200);
    const cart = cartSchema.parse((await alice.authed("GET", "/cart")).body);
    expect(cart.items.map((line) => [line.productId, line.quantity])).toEqual([[productIds[0], 5]]);
  });
});
