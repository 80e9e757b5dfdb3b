import {
  cartSchema,
  demoUsers,
  maxQuantityPerLine,
  productSchema,
  type User,
  userSchema,
} from "@repo/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publicUser } from "./public-user";
import { demoProducts } from "./seed";
import type { ShopStore } from "./types";

/** The public user inside an account. */
const pick = ({ id, username, displayName, role }: User) => ({ id, username, displayName, role });

/**
 * The behaviour every ShopStore must have, written once against the interface.
 * `openStore` must give a new, freshly seeded store each time it is called.
 */
export function describeShopStoreContract(name: string, openStore: () => Promise<ShopStore>) {
  describe(`ShopStore contract: ${name}`, () => {
    let store: ShopStore;
    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const alice = () => loginAs("alice");
    async function loginAs(username: string) {
      const demo = demoUsers.find((user) => user.username === username);
      const user = demo && (await store.users.verifyCredentials(demo.username, demo.password));
      if (!user) throw new Error(`demo user ${username} cannot log in`);
      return user;
    }
    const [first, second] = demoProducts.map((product) => product.id);
    if (!first || !second) throw new Error("the demo catalogue needs two products");

    describe("users", () => {
      it("seeds the demo users, who log in with their passwords", async () => {
        for (const demo of demoUsers) {
          const account = await store.users.verifyCredentials(demo.username, demo.password);
          expect(account).toEqual({
            id: expect.any(String),
            username: demo.username,
            displayName: demo.displayName,
            role: demo.role,
            disabled: false,
            tokensValidAfterMs: 0,
            loginsValidAfterMs: 0,
          });
          if (!account) throw new Error("unreachable");
          const user = publicUser(account);
          expect(userSchema.strict().parse(user)).toEqual(user); // nothing server-only rides along
          expect(await store.users.findUserById(user.id)).toEqual(user);
        }
      });

      it("gives users random, distinct ids", async () => {
        const a = await store.users.findUserByUsername("alice");
        const b = await store.users.findUserByUsername("bob");
        expect(a?.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(a?.id).not.toBe(b?.id);
      });

      it("finds a user by the canonical form of the name: ' ALICE ' and fullwidth 'ａｌｉｃｅ'", async () => {
        const checked = await alice();
        const user = publicUser(checked);
        expect(await store.users.findUserByUsername(" ALICE ")).toEqual(user);
        expect(await store.users.findUserByUsername("ａｌｉｃｅ")).toEqual(user);
        expect(await store.users.verifyCredentials("ＡＬＩＣＥ", "wonderland42")).toEqual(checked);
      });

      it("does not find a name with a zero-width joiner inside", async () => {
        expect(await store.users.findUserByUsername("ali\u200dce")).toBeUndefined();
        expect(await store.users.verifyCredentials("ali\u200dce", "wonderland42")).toBeUndefined();
      });

      it("refuses a second account whose name is canonically the same", async () => {
        const password = "correct horse battery";
        for (const username of ["alice", " Alice", "ＡＬＩＣＥ"]) {
          expect(await store.users.createUser({ username, password, displayName: "Eve" })).toEqual({
            ok: false,
            reason: "username_taken",
          });
        }
        expect(await store.users.verifyCredentials("alice", password)).toBeUndefined();
      });

      it("refuses a name with invisible characters as invalid", async () => {
        const result = await store.users.createUser({
          username: "car\u200dol",
          password: "pass phrase",
          displayName: "Carol",
        });
        expect(result).toEqual({ ok: false, reason: "invalid_username" });
      });

      it("creates a user who can then log in under any spelling of the name", async () => {
        const result = await store.users.createUser({
          username: "Carol",
          password: "pass phrase",
          displayName: "Carol C.",
        });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.user.displayName).toBe("Carol C.");
        expect(await store.users.verifyCredentials(" carol ", "pass phrase")).toEqual(result.user);
      });

      it("answers an unknown user and a wrong password identically: undefined", async () => {
        const unknown = await store.users.verifyCredentials("mallory", "wonderland42");
        const wrong = await store.users.verifyCredentials("alice", "wonderland43");
        const unusable = await store.users.verifyCredentials("\u0000", "wonderland42");
        expect(unknown).toBeUndefined();
        expect(wrong).toBeUndefined();
        expect(unusable).toBeUndefined();
      });
    });

    describe("accounts", () => {
      const account = async (username: string) => {
        const user = await store.users.findUserByUsername(username);
        const found = user && (await store.users.findAccountById(user.id));
        if (!found) throw new Error(`no account ${username}`);
        return found;
      };

      it("seeds sam as staff and alice and bob as customers, none disabled or cut off", async () => {
        expect(await store.users.findUserByUsername("sam")).toMatchObject({ role: "staff" });
        for (const name of ["alice", "bob"]) {
          expect(await account(name)).toMatchObject({
            role: "customer",
            disabled: false,
            tokensValidAfterMs: 0,
            loginsValidAfterMs: 0,
          });
        }
      });

      it("creates every new account as a customer", async () => {
        const created = await store.users.createUser({
          username: "carol",
          password: "pass phrase",
          displayName: "Carol",
        });
        expect(created.ok && created.user.role).toBe("customer");
      });

      it("finds an account by id, with its flags, and nothing for an unknown id", async () => {
        const user = await alice();
        expect(await store.users.findAccountById(user.id)).toEqual({
          ...user,
          disabled: false,
          tokensValidAfterMs: 0,
          loginsValidAfterMs: 0,
        });
        expect(await store.users.findAccountById("no-such-id")).toBeUndefined();
      });

      it("lists every account by username", async () => {
        const names = (await store.users.listAccounts()).map((each) => each.username);
        expect(names).toEqual([...demoUsers.map((demo) => demo.username)].sort());
      });

      it("changes the role and the disabled flag, moving the cut-off to now", async () => {
        const bob = await account("bob");
        const promoted = await store.users.updateAccount(bob.id, { role: "staff" }, 5_000);
        expect(promoted).toEqual({ ...bob, role: "staff", tokensValidAfterMs: 5_000 });
        const disabled = await store.users.updateAccount(bob.id, { disabled: true }, 6_000);
        expect(disabled).toEqual({
          ...bob,
          role: "staff",
          disabled: true,
          tokensValidAfterMs: 6_000,
        });
        expect(await store.users.findAccountById(bob.id)).toEqual(disabled);
        // The public user carries the new role, and is still found while disabled.
        expect(await store.users.findUserById(bob.id)).toEqual({ ...pick(bob), role: "staff" });
      });

      it("leaves the cut-off alone when nothing changes, and moves it strictly forward at every change", async () => {
        const bob = await account("bob");
        await store.users.updateAccount(bob.id, { role: "staff" }, 5_000);
        const same = await store.users.updateAccount(
          bob.id,
          { role: "staff", disabled: false },
          9_000,
        );
        expect(same?.tokensValidAfterMs).toBe(5_000);
        // A change timed earlier (another clock) still moves it, by 1 ms: never back, never still.
        const back = await store.users.updateAccount(bob.id, { role: "customer" }, 1_000);
        expect(back?.tokensValidAfterMs).toBe(5_001);
        await store.users.cutOffTokens(bob.id, 2_000);
        expect((await account("bob")).tokensValidAfterMs).toBe(5_002);
        await store.users.cutOffTokens(bob.id, 7_000);
        expect((await account("bob")).tokensValidAfterMs).toBe(7_000);
      });

      it("moves the logins' cut-off only at log out everywhere and a password change", async () => {
        const bob = await account("bob");
        // A role change or a disabled flag ends no login: a session reads both at its next request.
        await store.users.updateAccount(bob.id, { role: "staff" }, 1_000);
        await store.users.updateAccount(bob.id, { disabled: true }, 2_000);
        await store.users.updateAccount(bob.id, { disabled: false }, 3_000);
        expect(await account("bob")).toMatchObject({
          tokensValidAfterMs: 3_000,
          loginsValidAfterMs: 0,
        });
        await store.users.cutOffTokens(bob.id, 4_000);
        expect(await account("bob")).toMatchObject({
          tokensValidAfterMs: 4_000,
          loginsValidAfterMs: 4_000,
        });
        await store.users.cutOffTokens(bob.id, 2_500); // never backwards, and strictly forward
        expect((await account("bob")).loginsValidAfterMs).toBe(4_001);
        expect(
          await store.users.changePassword(bob.id, "wrong", "new pass phrase", 5_000),
        ).toBeUndefined();
        expect((await account("bob")).loginsValidAfterMs).toBe(4_001);
        const saved = await store.users.changePassword(
          bob.id,
          "builder42",
          "new pass phrase",
          5_000,
        );
        expect(saved).toMatchObject({
          id: bob.id,
          tokensValidAfterMs: 5_000,
          loginsValidAfterMs: 5_000,
        });
        expect(await account("bob")).toEqual(saved); // the account as saved
      });

      it("gives a login the cut-offs read with the hash, which any later change moves past", async () => {
        const checked = await store.users.verifyCredentials("bob", "builder42");
        expect(checked).toMatchObject({ tokensValidAfterMs: 0, loginsValidAfterMs: 0 });
        // A change in the same millisecond, or on a clock behind, still moves both (by 1 ms):
        // the login above keeps 0, and must now count as begun before the change.
        const saved = await store.users.changePassword(
          checked?.id ?? "",
          "builder42",
          "pass phrase 2",
          0,
        );
        expect(saved).toMatchObject({ tokensValidAfterMs: 1, loginsValidAfterMs: 1 });
        const again = await store.users.verifyCredentials("bob", "pass phrase 2");
        expect(again).toMatchObject({ tokensValidAfterMs: 1, loginsValidAfterMs: 1 });
        await store.users.cutOffTokens(checked?.id ?? "", 0); // log out everywhere, the same way
        expect(await account("bob")).toMatchObject({
          tokensValidAfterMs: 2,
          loginsValidAfterMs: 2,
        });
      });

      it("changes nothing for an unknown id", async () => {
        expect(await store.users.updateAccount("no-such-id", { role: "staff" }, 1)).toBeUndefined();
        await store.users.cutOffTokens("no-such-id", 1);
        expect(await store.users.listAccounts()).toHaveLength(demoUsers.length);
      });

      it("tells an operator whose password is right, disabled or not; never a login", async () => {
        const bob = await account("bob");
        await store.users.updateAccount(bob.id, { disabled: true }, 1_000);
        expect(await store.users.accountWithPassword("Bob", "builder42")).toMatchObject({
          id: bob.id,
          disabled: true,
        });
        expect(await store.users.accountWithPassword("bob", "wrong")).toBeUndefined();
        expect(await store.users.accountWithPassword("nobody", "builder42")).toBeUndefined();
        expect(await store.users.verifyCredentials("bob", "builder42")).toBeUndefined();
      });

      it("refuses a disabled account's right password, as a wrong one, until it is enabled", async () => {
        const bob = await account("bob");
        await store.users.updateAccount(bob.id, { disabled: true }, 1_000);
        expect(await store.users.verifyCredentials("bob", "builder42")).toBeUndefined();
        await store.users.updateAccount(bob.id, { disabled: false }, 2_000);
        expect(await store.users.verifyCredentials("bob", "builder42")).toMatchObject(pick(bob));
      });

      it("changes a password only with the current one, cutting off older tokens", async () => {
        const bob = await account("bob");
        expect(
          await store.users.changePassword(bob.id, "wrong", "new pass phrase", 3_000),
        ).toBeUndefined();
        expect(await store.users.verifyCredentials("bob", "builder42")).toBeDefined();
        expect((await account("bob")).tokensValidAfterMs).toBe(0);

        expect(
          await store.users.changePassword(bob.id, "builder42", "new pass phrase", 3_000),
        ).toMatchObject(pick(bob));
        expect(await store.users.verifyCredentials("bob", "builder42")).toBeUndefined();
        expect(await store.users.verifyCredentials("bob", "new pass phrase")).toMatchObject(
          pick(bob),
        );
        expect((await account("bob")).tokensValidAfterMs).toBe(3_000);
      });

      it("refuses a password change for a disabled or unknown account", async () => {
        const bob = await account("bob");
        await store.users.updateAccount(bob.id, { disabled: true }, 1_000);
        expect(
          await store.users.changePassword(bob.id, "builder42", "new pass phrase", 2),
        ).toBeUndefined();
        expect(
          await store.users.changePassword("no-such-id", "x", "new pass phrase", 2),
        ).toBeUndefined();
      });
    });

    describe("products", () => {
      it("lists at least 6 products with slug ids and integer prices, in a stable order", async () => {
        const products = await store.products.listProducts();
        expect(products.length).toBeGreaterThanOrEqual(6);
        for (const product of products)
          expect(productSchema.strict().parse(product)).toEqual(product);
        expect(await store.products.listProducts()).toEqual(products);
      });

      it("finds a product by id and nothing for an unknown id", async () => {
        const [product] = await store.products.listProducts();
        expect(await store.products.findProduct(product?.id ?? "")).toEqual(product);
        expect(await store.products.findProduct("no-such-thing")).toBeUndefined();
      });
    });

    describe("carts", () => {
      it("starts empty", async () => {
        const user = await alice();
        expect(await store.carts.getCart(user.id)).toEqual({
          items: [],
          itemCount: 0,
          totalCents: 0,
        });
      });

      it("adds, sets and removes lines, reading back names, prices and totals in catalogue order", async () => {
        const user = await alice();
        const [p1, p2] = await store.products.listProducts();
        if (!p1 || !p2) throw new Error("need two products");

        await store.carts.addItem(user.id, p2.id, 2);
        const added = await store.carts.addItem(user.id, p1.id, 3);
        expect(added.ok && added.cart).toEqual({
          items: [
            {
              productId: p1.id,
              name: p1.name,
              priceCents: p1.priceCents,
              quantity: 3,
              lineTotalCents: 3 * p1.priceCents,
            },
            {
              productId: p2.id,
              name: p2.name,
              priceCents: p2.priceCents,
              quantity: 2,
              lineTotalCents: 2 * p2.priceCents,
            },
          ],
          itemCount: 5,
          totalCents: 3 * p1.priceCents + 2 * p2.priceCents,
        });
        expect(cartSchema.strict().parse(await store.carts.getCart(user.id))).toEqual(
          added.ok && added.cart,
        );

        const set = await store.carts.setItem(user.id, p1.id, 7);
        expect(set.ok && set.cart.items.map((line) => line.quantity)).toEqual([7, 2]);

        const zeroed = await store.carts.setItem(user.id, p1.id, 0);
        expect(zeroed.ok && zeroed.cart.items.map((line) => line.productId)).toEqual([p2.id]);

        const removed = await store.carts.removeItem(user.id, p2.id);
        expect(removed).toEqual({ items: [], itemCount: 0, totalCents: 0 });
        expect(await store.carts.removeItem(user.id, p2.id)).toEqual(removed); // absent: no error
      });

      it("keeps each user's cart apart", async () => {
        const a = await alice();
        const b = await loginAs("bob");
        await store.carts.addItem(a.id, first, 1);
        expect((await store.carts.getCart(b.id)).items).toEqual([]);
      });

      it("lets a line reach 99 (98 + 1) and refuses 99 + 1, changing nothing", async () => {
        const user = await alice();
        await store.carts.addItem(user.id, first, 98);
        const atCap = await store.carts.addItem(user.id, first, 1);
        expect(atCap.ok && atCap.cart.itemCount).toBe(maxQuantityPerLine);

        expect(await store.carts.addItem(user.id, first, 1)).toEqual({
          ok: false,
          reason: "quantity_limit",
        });
        expect(await store.carts.addItem(user.id, first, 99)).toEqual({
          ok: false,
          reason: "quantity_limit",
        });
        expect((await store.carts.getCart(user.id)).items[0]?.quantity).toBe(99);
      });

      it("refuses a set past 99 or a quantity that is not an integer as a caller bug, changing nothing", async () => {
        const user = await alice();
        await store.carts.addItem(user.id, first, 5);
        await expect(store.carts.setItem(user.id, first, 100)).rejects.toThrow(RangeError);
        await expect(store.carts.setItem(user.id, first, -1)).rejects.toThrow(RangeError);
        await expect(store.carts.addItem(user.id, first, 0)).rejects.toThrow(RangeError);
        await expect(store.carts.addItem(user.id, first, 1.5)).rejects.toThrow(RangeError);
        await expect(store.carts.addItem(user.id, first, 100)).rejects.toThrow(RangeError);
        await expect(store.carts.addItem(user.id, first, Number.NaN)).rejects.toThrow(RangeError);
        expect((await store.carts.getCart(user.id)).items[0]?.quantity).toBe(5);
      });

      it("refuses an unknown product, changing nothing", async () => {
        const user = await alice();
        await store.carts.addItem(user.id, first, 1);
        const before = await store.carts.getCart(user.id);
        const unknown = { ok: false, reason: "unknown_product" };
        expect(await store.carts.addItem(user.id, "no-such-thing", 1)).toEqual(unknown);
        expect(await store.carts.setItem(user.id, "no-such-thing", 2)).toEqual(unknown);
        expect(await store.carts.getCart(user.id)).toEqual(before);
      });

      it("sums every non-empty cart, and only those, in one list", async () => {
        const a = await alice();
        const b = await loginAs("bob");
        const [p1, p2] = await store.products.listProducts();
        if (!p1 || !p2) throw new Error("need two products");
        expect(await store.carts.listCartSummaries()).toEqual([]);
        await store.carts.addItem(a.id, p1.id, 2);
        await store.carts.addItem(a.id, p2.id, 1);
        await store.carts.addItem(b.id, p2.id, 4);
        const summaries = await store.carts.listCartSummaries();
        expect(summaries.sort((x, y) => x.itemCount - y.itemCount)).toEqual([
          { userId: a.id, itemCount: 3, totalCents: 2 * p1.priceCents + p2.priceCents },
          { userId: b.id, itemCount: 4, totalCents: 4 * p2.priceCents },
        ]);
        await store.carts.removeItem(b.id, p2.id);
        expect((await store.carts.listCartSummaries()).map((row) => row.userId)).toEqual([a.id]);
      });

      it("refuses to write a cart for a user who does not exist, as a value, not an error", async () => {
        const unknown = { ok: false, reason: "unknown_user" };
        expect(await store.carts.addItem("no-such-user", first, 1)).toEqual(unknown);
        expect(await store.carts.setItem("no-such-user", first, 2)).toEqual(unknown);
        expect(await store.carts.getCart("no-such-user")).toEqual({
          items: [],
          itemCount: 0,
          totalCents: 0,
        });
        expect(await store.carts.listCartSummaries()).toEqual([]);
      });

      it("counts 50 concurrent adds of 1 as exactly 50", async () => {
        const user = await alice();
        const results = await Promise.all(
          Array.from({ length: 50 }, () => store.carts.addItem(user.id, second, 1)),
        );
        expect(results.every((result) => result.ok)).toBe(true);
        expect((await store.carts.getCart(user.id)).items).toMatchObject([
          { productId: second, quantity: 50 },
        ]);
      });

      it("stops 120 concurrent adds of 1 at exactly 99, refusing the other 21", async () => {
        const user = await alice();
        const results = await Promise.all(
          Array.from({ length: 120 }, () => store.carts.addItem(user.id, second, 1)),
        );
        expect(results.filter((result) => !result.ok)).toHaveLength(21);
        expect((await store.carts.getCart(user.id)).itemCount).toBe(99);
      });
    });
  });
}
