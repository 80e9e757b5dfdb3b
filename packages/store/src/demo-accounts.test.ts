import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeDemoAccounts } from "./demo-accounts";
import { insecureFastScryptParamsForTests as fast, hashPassword } from "./passwords";
import { openSqliteStore } from "./sqlite";

const tempDir = mkdtempSync(join(tmpdir(), "store-demo-accounts-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe("removeDemoAccounts", () => {
  it("deletes each demo account that still has its public password, with its cart, and keeps one whose password was changed", async () => {
    const store = await openSqliteStore({ file: join(tempDir, "shop.sqlite"), scrypt: fast });
    const alice = await store.users.findUserByUsername("alice");
    const bob = await store.users.findUserByUsername("bob");
    if (!alice || !bob) throw new Error("the demo accounts were not seeded");
    await store.carts.addItem(alice.id, "claw-hammer", 2);
    const sam = await store.users.findUserByUsername("sam");
    if (!sam) throw new Error("the demo accounts were not seeded");
    await store.users.updateAccount(sam.id, { disabled: true }, 1_000); // disabled: removed too
    const privateHash = await hashPassword("a password nobody published", fast);
    store.database
      .prepare("UPDATE users SET password_hash = ? WHERE id = ?")
      .run(privateHash, bob.id);

    const removed = await removeDemoAccounts(store);
    expect(removed).toEqual(["alice", "sam"]);
    expect(await store.users.findUserByUsername("alice")).toBeUndefined();
    expect(await store.users.verifyCredentials("alice", "wonderland42")).toBeUndefined();
    expect(store.database.prepare("SELECT count(*) FROM cart_items").pluck().get()).toBe(0);
    expect(await store.users.findUserByUsername("bob")).toBeDefined();
    expect(await removeDemoAccounts(store)).toEqual([]);
    await store.close();
  });
});
