import type { Cart } from "@repo/contract";
import { cartSchema, errorBodySchema, productsResponseSchema } from "@repo/contract";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestShop } from "./test-app";

let shop: Awaited<ReturnType<typeof createTestShop>>;
beforeEach(async () => {
  shop = await createTestShop();
});
afterEach(async () => {
  await shop.store.close();
});

const asAlice = (req: request.Test) => req.set("X-Test-User", "alice");

async function cartOf(user: "alice" | "bob"): Promise<Cart> {
  const res = await request(shop.app).get("/api/test/cart").set("X-Test-User", user);
  expect(res.status).toBe(200);
  return cartSchema.parse(res.body);
}

function expectError(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = errorBodySchema.parse(res.body);
  expect(body.error.code).toBe(code);
  return body;
}

describe("GET /products", () => {
  it("lists at least six seeded products without asking who you are", async () => {
    const res = await request(shop.app).get("/api/test/products");
    expect(res.status).toBe(200);
    expect(productsResponseSchema.parse(res.body).products.length).toBeGreaterThanOrEqual(6);
    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});

describe("cart routes", () => {
  it("refuses an anonymous cart read with 401 unauthenticated", async () => {
    expectError(await request(shop.app).get("/api/test/cart"), 401, "unauthenticated");
  });

  it("adds, sets, removes and totals lines for the user the auth middleware found", async () => {
    const added = await asAlice(request(shop.app).post("/api/test/cart/items")).send({
      productId: "claw-hammer",
      quantity: 2,
    });
    expect(added.status).toBe(200);
    expect(added.headers["cache-control"]).toBe("no-store");
    const patched = await asAlice(request(shop.app).patch("/api/test/cart/items/claw-hammer")).send(
      {
        quantity: 5,
      },
    );
    expect(cartSchema.parse(patched.body).items[0]?.quantity).toBe(5);
    const cart = await cartOf("alice");
    expect(cart.itemCount).toBe(5);
    expect(cart.totalCents).toBe(5 * (cart.items[0]?.priceCents ?? Number.NaN));
    expect((await cartOf("bob")).items).toEqual([]);

    const removed = await asAlice(request(shop.app).delete("/api/test/cart/items/claw-hammer"));
    expect(cartSchema.parse(removed.body).items).toEqual([]);
    const again = await asAlice(request(shop.app).delete("/api/test/cart/items/claw-hammer"));
    expect(again.status).toBe(200);
  });

  it("refuses a cart write with 401 for a user whose account is gone, though the gate let them in", async () => {
    shop.store.database.prepare("DELETE FROM users WHERE id = ?").run(shop.bob.id);
    const asBob = (req: request.Test) => req.set("X-Test-User", "bob");
    const add = await asBob(request(shop.app).post("/api/test/cart/items")).send({
      productId: "claw-hammer",
      quantity: 1,
    });
    expectError(add, 401, "unauthenticated");
    const set = await asBob(request(shop.app).patch("/api/test/cart/items/claw-hammer")).send({
      quantity: 3,
    });
    expectError(set, 401, "unauthenticated");
    expect((await cartOf("bob")).items).toEqual([]);
  });

  it("sets a line to 0 to remove it", async () => {
    await asAlice(request(shop.app).post("/api/test/cart/items")).send({
      productId: "claw-hammer",
      quantity: 1,
    });
    const res = await asAlice(request(shop.app).patch("/api/test/cart/items/claw-hammer")).send({
      quantity: 0,
    });
    expect(res.status).toBe(200);
    expect(cartSchema.parse(res.body).items).toEqual([]);
  });
});

describe("every bad input gets its status and code and changes nothing", () => {
  const add = (body: string, type = "application/json") =>
    asAlice(request(shop.app).post("/api/test/cart/items")).set("Content-Type", type).send(body);

  let before: Cart;
  beforeEach(async () => {
    await asAlice(request(shop.app).post("/api/test/cart/items")).send({
      productId: "claw-hammer",
      quantity: 3,
    });
    before = await cartOf("alice");
  });
  afterEach(async () => {
    expect(await cartOf("alice")).toEqual(before);
  });

  it("malformed JSON: 400 invalid_request without the parser's text", async () => {
    const body = expectError(
      await add('{"productId": "claw-hammer", quantity: }'),
      400,
      "invalid_request",
    );
    expect(body.error.message).toBe("The body is not valid JSON.");
    expect(JSON.stringify(body)).not.toMatch(/Unexpected|position|SyntaxError/);
  });

  it.each([["[]"], ["null"], ['"claw-hammer"'], ["42"], ["{}"]])(
    "body %s: 400 invalid_request",
    async (raw) => {
      expectError(await add(raw), 400, "invalid_request");
    },
  );

  it("text/plain body: 415 unsupported_media_type", async () => {
    expectError(
      await add('{"productId":"claw-hammer","quantity":1}', "text/plain"),
      415,
      "unsupported_media_type",
    );
  });

  it("form body: 415 unsupported_media_type", async () => {
    expectError(
      await add("productId=claw-hammer&quantity=1", "application/x-www-form-urlencoded"),
      415,
      "unsupported_media_type",
    );
  });

  it("a 17 KiB body: 413 payload_too_large", async () => {
    const padding = "x".repeat(17 * 1024);
    expectError(
      await add(JSON.stringify({ productId: "claw-hammer", quantity: 1, padding })),
      413,
      "payload_too_large",
    );
  });

  it.each([
    ['{"productId":"claw-hammer","quantity":1,"__proto__":{"admin":true}}'],
    ['{"productId":"claw-hammer","quantity":1,"constructor":{"prototype":{"admin":true}}}'],
  ])("prototype keys %s: 400, and no object is polluted", async (raw) => {
    const res = expectError(await add(raw), 400, "invalid_request");
    expect(res.error.details?.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each([["-1"], ["0"], ["1.5"], ['"1"'], ["100"], ["1e309"], ["null"], ["true"]])(
    "add with quantity %s: 400 invalid_request",
    async (quantity) => {
      expectError(
        await add(`{"productId":"claw-hammer","quantity":${quantity}}`),
        400,
        "invalid_request",
      );
    },
  );

  it.each([["-1"], ["1.5"], ['"1"'], ["100"], ["1e309"], ["null"]])(
    "set with quantity %s: 400 invalid_request",
    async (quantity) => {
      const res = await asAlice(request(shop.app).patch("/api/test/cart/items/claw-hammer"))
        .set("Content-Type", "application/json")
        .send(`{"quantity":${quantity}}`);
      expectError(res, 400, "invalid_request");
    },
  );

  it("an unknown product id: 404 not_found, for add, set and remove", async () => {
    expectError(await add('{"productId":"no-such-thing","quantity":1}'), 404, "not_found");
    const set = await asAlice(request(shop.app).patch("/api/test/cart/items/no-such-thing")).send({
      quantity: 1,
    });
    expectError(set, 404, "not_found");
    const remove = await asAlice(request(shop.app).delete("/api/test/cart/items/no-such-thing"));
    expectError(remove, 404, "not_found");
  });

  it("a product id that is not an id at all: 400 invalid_request", async () => {
    const res = await asAlice(request(shop.app).delete("/api/test/cart/items/..%2F..%2Fetc"));
    expectError(res, 400, "invalid_request");
  });

  it("a body that claims gzip but is not gzip: 400 invalid_request, not 500", async () => {
    const res = await add('{"productId":"claw-hammer","quantity":1}').set(
      "Content-Encoding",
      "gzip",
    );
    expectError(res, 400, "invalid_request");
  });

  it("a body in an encoding the server does not read: 415 unsupported_media_type", async () => {
    const res = await add('{"productId":"claw-hammer","quantity":1}').set(
      "Content-Encoding",
      "x-unknown",
    );
    expectError(res, 415, "unsupported_media_type");
  });

  it.each([["%ZZ"], ["%"], ["%E0%A4%A"], ["%C0%AF"]])(
    "a product id with bad percent-encoding %s: 400 invalid_request, not 500",
    async (productId) => {
      const path = `/api/test/cart/items/${productId}`;
      expectError(await asAlice(request(shop.app).delete(path)), 400, "invalid_request");
      const set = await asAlice(request(shop.app).patch(path)).send({ quantity: 1 });
      expectError(set, 400, "invalid_request");
    },
  );

  it("a line past 99: 409 quantity_limit, whether added in one go or one at a time", async () => {
    expectError(await add('{"productId":"claw-hammer","quantity":97}'), 409, "quantity_limit");
    const fill = await add('{"productId":"claw-hammer","quantity":96}');
    expect(cartSchema.parse(fill.body).items[0]?.quantity).toBe(99);
    expectError(await add('{"productId":"claw-hammer","quantity":1}'), 409, "quantity_limit");
    // Back to where the afterEach check expects it.
    await asAlice(request(shop.app).patch("/api/test/cart/items/claw-hammer")).send({
      quantity: 3,
    });
  });

  it("an unknown route: 404 not_found as JSON, also under the prefix", async () => {
    expectError(await request(shop.app).get("/nowhere"), 404, "not_found");
    expectError(await asAlice(request(shop.app).put("/api/test/cart")), 404, "not_found");
  });
});
