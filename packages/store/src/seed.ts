import { demoUsers, type Product } from "@repo/contract";
import type { Database } from "better-sqlite3";
import { hashPassword, type ScryptParams } from "./passwords";
import { retryWhileBusy } from "./sqlite-busy";
import { insertUserStatement, newUserRow } from "./sqlite-users";

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
 * Seeds the demo users and products into an empty store. Safe when two processes open the
 * same new file at once: the slow hashing happens outside the transaction, and the emptiness
 * check and inserts happen inside one IMMEDIATE transaction, so only the first one writes.
 */
export async function seedIfEmpty(
  db: Database,
  scrypt: ScryptParams,
  withDemoUsers: boolean,
): Promise<void> {
  const isEmpty = db.prepare(
    "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM products) AS empty",
  );
  if (!(isEmpty.get() as { empty: number }).empty) return;

  const users = await Promise.all(
    (withDemoUsers ? demoUsers : []).map(async (user) =>
      newUserRow(user, await hashPassword(user.password, scrypt)),
    ),
  );
  const insertUser = insertUserStatement(db);
  const insertProduct = db.prepare(
    `INSERT INTO products (id, name, description, price_cents, position)
     VALUES (@id, @name, @description, @priceCents, @position) ON CONFLICT DO NOTHING`,
  );

  const insertAll = db.transaction(() => {
    if (!(isEmpty.get() as { empty: number }).empty) return; // the other process won
    for (const row of users) insertUser.run(row);
    for (const [position, product] of demoProducts.entries()) {
      insertProduct.run({ ...product, position });
    }
  });
  await retryWhileBusy(() => insertAll.immediate());
}
