// Accounts for the login storm: one per login, so the throttle's limit of attempts in flight per
// account (which a burst of logins to one account would hit by design) does not shape the storm.
import { randomBytes } from "node:crypto";
import { openShopStore, type ShopStoreLocation } from "@repo/store";
import type { Account } from "./clients";

/**
 * Creates `count` accounts through the store's own `createUser`, which hashes each password at
 * the store's full (OWASP) scrypt cost, as a real sign-up would; the storm then pays it too.
 */
export async function createShoppers(
  location: ShopStoreLocation,
  count: number,
): Promise<Account[]> {
  // The same seeding options as the servers, whichever process happens to open the store first.
  const store = await openShopStore(location, { demoUsers: true });
  try {
    const password = randomBytes(18).toString("base64url");
    return await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const username = `bench-shopper-${String(index + 1).padStart(2, "0")}`;
        const created = await store.users.createUser({
          username,
          password,
          displayName: `Shopper ${index + 1}`,
        });
        if (!created.ok) throw new Error(`could not create ${username}: ${created.reason}`);
        return { username, password };
      }),
    );
  } finally {
    await store.close();
  }
}
