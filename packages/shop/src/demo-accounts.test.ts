import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insecureFastScryptParamsForTests as fast, openSqliteStore } from "@repo/store";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "./config";
import { refuseDemoAccountsInProduction } from "./demo-accounts";

const tempDir = mkdtempSync(join(tmpdir(), "shop-demo-accounts-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

/** A database first created in development (demo accounts seeded), reopened as production opens it. */
async function developmentDatabaseInProduction(name: string) {
  const file = join(tempDir, name, "shop.sqlite");
  await (await openSqliteStore({ file, scrypt: fast })).close();
  return { file, store: await openSqliteStore({ file, scrypt: fast, demoUsers: false }) };
}

describe("refuseDemoAccountsInProduction", () => {
  it("refuses a database first created in development, naming the accounts and how to remove them", async () => {
    const { file, store } = await developmentDatabaseInProduction("dev");
    const refusal = refuseDemoAccountsInProduction(store, { isProduction: true });
    await expect(refusal).rejects.toBeInstanceOf(ConfigError);
    await expect(refusal).rejects.toThrow(/alice, bob/);
    await expect(refusal).rejects.toThrow(`npm run remove-demo-accounts -w @repo/store -- ${file}`);
    await store.close();
  });

  it("refuses a disabled demo account too: enabled again, it would log in with its public password", async () => {
    const { store } = await developmentDatabaseInProduction("disabled");
    for (const account of await store.users.listAccounts()) {
      await store.users.updateAccount(account.id, { disabled: true }, 1_000);
    }
    await expect(refuseDemoAccountsInProduction(store, { isProduction: true })).rejects.toThrow(
      /alice, bob, sam/,
    );
    await store.close();
  });

  it("lets production start once the demo accounts are gone, and development always", async () => {
    const { store } = await developmentDatabaseInProduction("removed");
    await expect(refuseDemoAccountsInProduction(store, { isProduction: false })).resolves.toBe(
      undefined,
    );
    store.database.prepare("DELETE FROM users").run();
    await expect(refuseDemoAccountsInProduction(store, { isProduction: true })).resolves.toBe(
      undefined,
    );
    await store.close();
  });
});
