import { resolve } from "node:path";
import { demoUsers } from "@repo/contract";
import type { OpenedShopStore } from "@repo/store";
import { ConfigError } from "./config";

/**
 * Production must not start while a demo account still has its public password, as on a
 * database first created in development: production seeds no demo account, but one already in
 * the file would stay open to anyone who read the README. A disabled one counts too: staff can
 * enable it again, and then it logs in. The refusal names the accounts and how to remove them.
 * Costs one password check per demo account present, once, at start.
 */
export async function refuseDemoAccountsInProduction(
  store: OpenedShopStore,
  config: { isProduction: boolean },
): Promise<void> {
  if (!config.isProduction) return;
  const { users } = store;
  const open: string[] = [];
  for (const demo of demoUsers) {
    if (!(await users.findUserByUsername(demo.username))) continue;
    if (await users.accountWithPassword(demo.username, demo.password)) open.push(demo.username);
  }
  if (open.length === 0) return;
  const howToRemove =
    store.kind === "sqlite"
      ? `npm run remove-demo-accounts -w @repo/store -- ${resolve(store.database.name)}`
      : "delete them from the database (or change their passwords)";
  throw new ConfigError(
    `the demo accounts ${open.join(", ")} still have their public passwords (this ` +
      `database was first created in development). Remove them with: ${howToRemove}`,
  );
}
