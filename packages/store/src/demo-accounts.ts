import { demoUsers } from "@repo/contract";
import type { SqliteShopStore } from "./sqlite";
import { withBusyRetry } from "./sqlite-busy";

/**
 * Deletes every demo account that still has its public password (docs/api.md, "Demo users"),
 * disabled or not (enabled again, it would log in), with its cart and refresh tokens (foreign
 * keys cascade); an account whose password was changed is kept. Returns the usernames removed.
 * For a database first created in development that is to serve production.
 */
export async function removeDemoAccounts(store: SqliteShopStore): Promise<string[]> {
  const remove = store.database.prepare<[string]>("DELETE FROM users WHERE id = ?");
  const removed: string[] = [];
  for (const demo of demoUsers) {
    const user = await store.users.accountWithPassword(demo.username, demo.password);
    if (!user) continue;
    await withBusyRetry(() => remove.run(user.id));
    removed.push(user.username);
  }
  return removed;
}
