import { demoUsers, type Product } from "@repo/contract";
import type { Database } from "better-sqlite3";
import { hashPassword, type ScryptParams } from "./passwords";
import { retryWhileBusy } from "./sqlite-busy";
import { insertUserStatement, newUserRow } from "./sqlite-users";
import { canonicalizeUsername } from "./usernames";

/** The catalogue of the demo workshop shop, in display order. */
export const demoProducts: readonly Readonly<Product>[] = Object.freeze([
  {
    id: "claw-hammer",
    name: "Claw hammer",
    description: "16 oz steel head on an ash handle.",
    priceCents: 2450,
  },
  {
    id: "tape-measure",
    name: "Tape measure",
    description: "5 m, metric and imperial, with a locking blade.",
    priceCents: 1299,
  },
  {
    id: "block-plane",
    name: "Block plane",
    description: "Low-angle plane for end grain and chamfers.",
    priceCents: 6800,
  },
  {
    id: "chisel-set",
    name: "Bench chisel set",
    description: "Four chisels, 6 to 25 mm, in a canvas roll.",
    priceCents: 5400,
  },
  {
    id: "marking-gauge",
    name: "Marking gauge",
    description: "Brass-faced beech gauge with a wheel cutter.",
    priceCents: 1850,
  },
  {
    id: "sharpening-stone",
    name: "Sharpening stone",
    description: "Combination whetstone, 1000/6000 grit.",
    priceCents: 3200,
  },
  {
    id: "work-apron",
    name: "Canvas work apron",
    description: "Waxed canvas with five pockets and leather straps.",
    priceCents: 3900,
  },
]);

/**
 * Seeds the products into an empty store, and the demo users (unless `withDemoUsers` is false,
 * as in production) into any store that lacks one of them, so a development database made
 * before a demo user existed gains it at the next start. Safe when two processes open the same
 * file at once: the slow hashing happens outside the transaction, and the checks and inserts
 * happen inside one IMMEDIATE transaction, so only the first one writes.
 */
export async function seedIfEmpty(
  db: Database,
  scrypt: ScryptParams,
  withDemoUsers: boolean,
): Promise<void> {
  const isEmpty = db.prepare(
    "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM products) AS empty",
  );
  const exists = db.prepare<[string], number>(
    "SELECT count(*) FROM users WHERE username_canonical = ?",
  );
  const missing = (withDemoUsers ? demoUsers : []).filter(
    (user) => !exists.pluck().get(canonicalizeUsername(user.username) ?? ""),
  );
  const empty = (isEmpty.get() as { empty: number }).empty === 1;
  if (!empty && missing.length === 0) return;

  const users = await Promise.all(
    missing.map(async (user) =>
      newUserRow(user, await hashPassword(user.password, scrypt), user.role),
    ),
  );
  const insertUser = insertUserStatement(db);
  const insertProduct = db.prepare(
    `INSERT INTO products (id, name, description, price_cents, position)
     VALUES (@id, @name, @description, @priceCents, @position) ON CONFLICT DO NOTHING`,
  );

  const insertAll = db.transaction(() => {
    // Checked again under the lock: if the other process won, the products are there and its
    // users take the names first (ON CONFLICT DO NOTHING), so nothing is written twice.
    if ((isEmpty.get() as { empty: number }).empty) {
      for (const [position, product] of demoProducts.entries()) {
        insertProduct.run({ ...product, position });
      }
    }
    for (const row of users) insertUser.run(row);
  });
  await retryWhileBusy(() => insertAll.immediate());
}
