import { type Cart, type CartLine, maxQuantityPerLine } from "@repo/contract";
import type { PgDatabase } from "./pg-database";
import type { CartStore, CartSummaryRow } from "./types";

type LineRow = Omit<CartLine, "lineTotalCents">;

// Each change and the cart it returns are ONE statement: the change in a data-modifying WITH,
// the cart read beside it. Atomic without a transaction, one round trip, and the reply matches
// the change. `lines` is the cart as it is after the change: the other lines, plus the changed one.
const cartFromLines = `
SELECT COALESCE(json_agg(json_build_object('productId', p.id, 'name', p.name,
         'priceCents', p.price_cents, 'quantity', l.quantity) ORDER BY p.position, p.id),
       '[]') AS lines
FROM lines l JOIN products p ON p.id = l.product_id`;

const otherLines =
  "SELECT product_id, quantity FROM cart_items WHERE user_id = $1 AND product_id <> $2";

// The cap is checked in the statement that adds, on the row it locked, so no concurrent add
// (from this instance or another) can slip past it.
const addSql = `
WITH product AS (SELECT id FROM products WHERE id = $2::text),
account AS (SELECT id FROM users WHERE id = $1::text),
changed AS (
  INSERT INTO cart_items AS c (user_id, product_id, quantity)
  SELECT account.id, product.id, $3::integer FROM product CROSS JOIN account
  ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = c.quantity + excluded.quantity
  WHERE c.quantity + excluded.quantity <= ${maxQuantityPerLine}
  RETURNING product_id, quantity),
lines AS (${otherLines} UNION ALL SELECT product_id, quantity FROM changed)
SELECT EXISTS (SELECT 1 FROM account) AS user_found, EXISTS (SELECT 1 FROM product) AS found,
  EXISTS (SELECT 1 FROM changed) AS changed, (${cartFromLines}) AS lines`;

// 0 deletes the line; anything else replaces its quantity.
const setSql = `
WITH product AS (SELECT id FROM products WHERE id = $2::text),
account AS (SELECT id FROM users WHERE id = $1::text),
removed AS (
  DELETE FROM cart_items
  WHERE $3::integer = 0 AND user_id = $1::text AND product_id IN (SELECT id FROM product)),
changed AS (
  INSERT INTO cart_items (user_id, product_id, quantity)
  SELECT account.id, product.id, $3::integer FROM product CROSS JOIN account
  WHERE $3::integer > 0
  ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity
  RETURNING product_id, quantity),
lines AS (${otherLines} UNION ALL SELECT product_id, quantity FROM changed)
SELECT EXISTS (SELECT 1 FROM account) AS user_found, EXISTS (SELECT 1 FROM product) AS found,
  (${cartFromLines}) AS lines`;

const removeSql = `
WITH removed AS (DELETE FROM cart_items WHERE user_id = $1::text AND product_id = $2::text),
lines AS (${otherLines})
${cartFromLines}`;

const getSql = `
WITH lines AS (SELECT product_id, quantity FROM cart_items WHERE user_id = $1::text)
${cartFromLines}`;

// sum() of integers is a bigint, which pg-database.ts reads as a number.
const summariesSql = `
SELECT c.user_id AS "userId", sum(c.quantity) AS "itemCount",
       sum(c.quantity * p.price_cents) AS "totalCents"
FROM cart_items c JOIN products p ON p.id = c.product_id GROUP BY c.user_id`;

interface ChangeRow {
  user_found: boolean;
  found: boolean;
  changed?: boolean;
  lines: LineRow[];
}

/** The cart_items table behind the async CartStore interface; every change is one statement. */
export function createPgCartStore(db: PgDatabase): CartStore {
  const change = async (sql: string, values: unknown[]) => {
    const { rows } = await db.query<ChangeRow>(sql, values);
    const row = rows[0];
    if (!row) throw new Error("a cart statement returned no row");
    return row;
  };
  const readLines = async (sql: string, values: unknown[]) =>
    toCart((await db.query<{ lines: LineRow[] }>(sql, values)).rows[0]?.lines ?? []);

  return {
    async getCart(userId) {
      return readLines(getSql, [userId]);
    },
    async addItem(userId, productId, quantity) {
      assertQuantity(quantity, 1);
      const row = await change(addSql, [userId, productId, quantity]);
      if (!row.user_found) return { ok: false, reason: "unknown_user" };
      if (!row.found) return { ok: false, reason: "unknown_product" };
      if (!row.changed) return { ok: false, reason: "quantity_limit" };
      return { ok: true, cart: toCart(row.lines) };
    },
    async setItem(userId, productId, quantity) {
      assertQuantity(quantity, 0);
      const row = await change(setSql, [userId, productId, quantity]);
      if (!row.user_found) return { ok: false, reason: "unknown_user" };
      if (!row.found) return { ok: false, reason: "unknown_product" };
      return { ok: true, cart: toCart(row.lines) };
    },
    async removeItem(userId, productId) {
      return readLines(removeSql, [userId, productId]);
    },
    async listCartSummaries() {
      return (await db.query<CartSummaryRow>(summariesSql)).rows;
    },
  };
}

// The HTTP layer validates quantities; one reaching here out of range is a bug, so throw.
function assertQuantity(quantity: number, min: number): void {
  if (!Number.isInteger(quantity) || quantity < min || quantity > maxQuantityPerLine) {
    throw new RangeError(`quantity must be an integer from ${min} to ${maxQuantityPerLine}`);
  }
}

function toCart(rows: LineRow[]): Cart {
  const items = rows.map((row) => ({ ...row, lineTotalCents: row.priceCents * row.quantity }));
  return {
    items,
    itemCount: items.reduce((sum, line) => sum + line.quantity, 0),
    totalCents: items.reduce((sum, line) => sum + line.lineTotalCents, 0),
  };
}
