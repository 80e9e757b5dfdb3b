import { listen } from "@repo/shop/testing";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alice, P, sidSetCookie, startTestApp, storeKindsForTests, type TestApp } from "./testing";

// The shop and its sessions in SQLite, and in PostgreSQL (a schema per test) when DATABASE_URL is set.
describe.each(storeKindsForTests("session-api's cart flow"))(
  "the cart flow with a session cookie, on %s",
  (kind) => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp({ kind });
    });
    afterEach(async () => {
      await t.close();
    });

    it("logs in, adds, reads, changes, removes and logs out", async () => {
      const agent = request.agent(t.app);
      const login = await agent.post(`${P}/auth/login`).send(alice).expect(200);
      const csrf = { "X-CSRF-Token": login.body.csrfToken as string };

      const products = (await agent.get(`${P}/products`).expect(200)).body.products;
      expect(products.length).toBeGreaterThanOrEqual(6);

      const added = await agent
        .post(`${P}/cart/items`)
        .set(csrf)
        .send({ productId: "claw-hammer", quantity: 2 })
        .expect(200);
      expect(added.body).toMatchObject({ itemCount: 2, totalCents: 4900 });
      await agent
        .post(`${P}/cart/items`)
        .set(csrf)
        .send({ productId: "tape-measure", quantity: 1 })
        .expect(200);

      const read = await agent.get(`${P}/cart`).expect(200);
      expect(read.body.items.map((line: { productId: string }) => line.productId)).toEqual([
        "claw-hammer",
        "tape-measure",
      ]);

      const changed = await agent
        .patch(`${P}/cart/items/claw-hammer`)
        .set(csrf)
        .send({ quantity: 5 })
        .expect(200);
      expect(changed.body.itemCount).toBe(6);

      const removed = await agent.delete(`${P}/cart/items/tape-measure`).set(csrf).expect(200);
      expect(removed.body.items).toEqual([
        {
          productId: "claw-hammer",
          name: "Claw hammer",
          priceCents: 2450,
          quantity: 5,
          lineTotalCents: 12250,
        },
      ]);

      const logout = await agent.post(`${P}/auth/logout`).set(csrf).expect(204);
      expect(sidSetCookie(logout)).toMatch(/^sid=;/);
      await agent.get(`${P}/cart`).expect(401);

      // The cart belongs to alice, not to the session: logging in again finds it.
      const again = request.agent(t.app);
      await again.post(`${P}/auth/login`).send(alice).expect(200);
      expect((await again.get(`${P}/cart`).expect(200)).body.itemCount).toBe(5);
    });

    it("refuses a line past 99 with 409, changing nothing", async () => {
      const agent = request.agent(t.app);
      const { csrfToken } = (await agent.post(`${P}/auth/login`).send(alice).expect(200)).body;
      await agent
        .post(`${P}/cart/items`)
        .set("X-CSRF-Token", csrfToken)
        .send({ productId: "claw-hammer", quantity: 99 })
        .expect(200);
      const res = await agent
        .post(`${P}/cart/items`)
        .set("X-CSRF-Token", csrfToken)
        .send({ productId: "claw-hammer", quantity: 1 })
        .expect(409);
      expect(res.body.error.code).toBe("quantity_limit");
    });

    it("keeps exactly 50 after 50 concurrent adds of one with the same cookie", async () => {
      const server = await listen(t.app);
      const base = `${server.url}${P}`;
      try {
        const login = await fetch(`${base}/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(alice),
        });
        const { csrfToken } = (await login.json()) as { csrfToken: string };
        const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
        const headers = { "content-type": "application/json", cookie, "x-csrf-token": csrfToken };

        const responses = await Promise.all(
          Array.from({ length: 50 }, () =>
            fetch(`${base}/cart/items`, {
              method: "POST",
              headers,
              body: JSON.stringify({ productId: "block-plane", quantity: 1 }),
            }),
          ),
        );
        expect(responses.map((res) => res.status)).toEqual(Array(50).fill(200));
        const cart = (await (await fetch(`${base}/cart`, { headers })).json()) as {
          items: { productId: string; quantity: number }[];
        };
        expect(cart.items).toEqual([
          expect.objectContaining({ productId: "block-plane", quantity: 50 }),
        ]);
      } finally {
        await server.close();
      }
    });
  },
);
