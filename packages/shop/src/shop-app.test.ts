import { decodeTrace, errorBodySchema, healthResponseSchema } from "@repo/contract";
import { StoreUnavailableError } from "@repo/store";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestShop } from "./test-app";

let shop: Awaited<ReturnType<typeof createTestShop>> | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await shop?.store.close();
});

describe("createShopApp", () => {
  it("answers a bug with a bare 500 in the one error shape, never a stack or the bug's text", async () => {
    shop = await createTestShop();
    const res = await request(shop.app).get("/api/test/auth/boom");
    expect(res.status).toBe(500);
    expect(errorBodySchema.parse(res.body).error.code).toBe("internal");
    expect(res.text).not.toMatch(/hunter2|at .*\.ts|Error:/);
  });

  it("sends security headers and no framework banner", async () => {
    shop = await createTestShop();
    const res = await request(shop.app).get("/api/test/products");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
  });

  it("names the instance that answered on every response, errors included", async () => {
    shop = await createTestShop();
    for (const path of ["/api/test/products", "/api/test/cart", "/api/test/nowhere"]) {
      const res = await request(shop.app).get(path);
      expect(res.headers["x-instance"], path).toBe("test-1");
    }
  });

  it("marks authenticated responses no-store, errors included", async () => {
    shop = await createTestShop();
    const res = await request(shop.app).get("/api/test/cart");
    expect(res.status).toBe(401);
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("reports its mode and stores on /health", async () => {
    shop = await createTestShop();
    const res = await request(shop.app).get("/api/test/health");
    expect(healthResponseSchema.parse(res.body)).toEqual({
      status: "ok",
      mode: "session",
      store: { users: "sqlite" },
    });
  });

  it("answers /health 503 store_unavailable with Retry-After while a store it needs is down, and 200 once it is back", async () => {
    let redisUp = false;
    shop = await createTestShop({
      healthChecks: {
        sessions: async () => {
          if (!redisUp) throw new Error("connection refused");
        },
      },
    });
    const down = await request(shop.app).get("/api/test/health");
    expect(down.status).toBe(503);
    expect(errorBodySchema.parse(down.body).error.code).toBe("store_unavailable");
    expect(Number(down.headers["retry-after"])).toBeGreaterThan(0);
    redisUp = true;
    expect((await request(shop.app).get("/api/test/health")).status).toBe(200);
  });

  it("answers /health 503 when a store's check never answers, after a short timeout", async () => {
    shop = await createTestShop({ healthChecks: { sessions: () => new Promise(() => {}) } });
    const res = await request(shop.app).get("/api/test/health");
    expect(res.status).toBe(503);
    expect(errorBodySchema.parse(res.body).error.code).toBe("store_unavailable");
  });

  it("answers /health 503 when the shop's own store cannot be read", async () => {
    shop = await createTestShop();
    vi.spyOn(shop.store.products, "listProducts").mockRejectedValue(new StoreUnavailableError());
    expect((await request(shop.app).get("/api/test/health")).status).toBe(503);
  });

  it("sends Retry-After with every 503 store_unavailable", async () => {
    shop = await createTestShop();
    vi.spyOn(shop.store.carts, "getCart").mockRejectedValue(new StoreUnavailableError());
    const res = await request(shop.app).get("/api/test/cart").set("X-Test-User", "alice");
    expect(res.status).toBe(503);
    expect(errorBodySchema.parse(res.body).error.code).toBe("store_unavailable");
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("serves demo state and the trace header only in demo mode", async () => {
    shop = await createTestShop({ demo: false });
    expect((await request(shop.app).get("/api/test/demo/state")).status).toBe(404);
    await shop.store.close();

    shop = await createTestShop({ demo: true });
    const state = await request(shop.app).get("/api/test/demo/state");
    expect(state.status).toBe(200);
    expect(state.body).toEqual({ held: [] });
  });
});

describe("X-Auth-Trace", () => {
  it("lists the login steps in demo mode and is absent otherwise", async () => {
    const { createLoginTestApp } = await import("./credentials.test-app");
    const demo = await createLoginTestApp({ sendTrace: true });
    const res = await request(demo.app)
      .post("/login")
      .send({ username: "alice", password: "wonderland42" });
    expect(res.status).toBe(200);
    expect(decodeTrace(res.headers["x-auth-trace"])).toEqual([
      expect.objectContaining({ step: "verify_password", outcome: "ok" }),
    ]);
    await demo.store.close();

    const quiet = await createLoginTestApp({ sendTrace: false });
    const res2 = await request(quiet.app)
      .post("/login")
      .send({ username: "alice", password: "wonderland42" });
    expect(res2.headers["x-auth-trace"]).toBeUndefined();
    await quiet.store.close();
  });
});
