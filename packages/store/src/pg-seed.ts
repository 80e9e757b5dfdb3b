import { demoUsers } from "@repo/contract";
import { hashPassword, type ScryptParams } from "./passwords";
import type { PgTransaction } from "./pg-database";
import { insertPgUserSql, pgUserValues } from "./pg-users";
import { demoProducts } from "./seed";
import { newUserRow } from "./sqlite-users";
import { canonicalizeUsername } from "./usernames";

/**
 * Seeds the products into an empty store, and the demo users (unless `withDemoUsers` is false,
 * as in production) into any store that lacks one of them: the same rules as SQLite's
 * `seedIfEmpty`. It runs inside the migration's transaction, under its advisory lock, so of
 * several instances starting at once only the first one writes.
 */
export async function seedPgIfEmpty(
  tx: PgTransaction,
  scrypt: ScryptParams,
  withDemoUsers: boolean,
): Promise<void> {
  const { rows } = await tx.query<{ empty: boolean }>(
    "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM products) AS empty",
  );
  if (rows[0]?.empty) {
    for (const [position, product] of demoProducts.entries()) {
      await tx.query(
        `INSERT INTO products (id, name, description, price_cents, position)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [product.id, product.name, product.description, product.priceCents, position],
      );
    }
  }
  for (const user of withDemoUsers ? demoUsers : []) {
    const canonical = canonicalizeUsername(user.username);
    const found = await tx.query("SELECT 1 FROM users WHERE username_canonical = $1", [canonical]);
    if (found.rowCount > 0) continue;
    const row = newUserRow(user, await hashPassword(user.password, scrypt), user.role);
    await tx.query(insertPgUserSql, pgUserValues(row));
  }
}
