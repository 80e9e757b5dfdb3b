import { type Cart, maxQuantityPerLine } from "@repo/contract";
import type { Database } from "better-sqlite3";
import { withBusyRetry } from "./sqlite-busy";
import type { CartStore, CartSummaryRow } from "./types";

interface LineRow {
  productId: string;
  name: string;
  priceCents: number;
  quantity: number;
}

/** The cart_items table behind the async CartStore interface; every change is atomic. */
export function createSqliteCartStore(db: Database): CartStore {
  const lines = db.prepare<[string], LineRow>(
    `SELECT p.id AS productId, p.name, p.price_cents AS priceCents, c.quantity
     FROM cart_items c JOIN products p ON p.id = c.product_id
     WHERE c.user_id = ? ORDER BY p.position, p.id`,
  );
  const productExists = db.prepare<[string], { found: number }>(
    "SELECT 1 AS found FROM products WHERE id = ?",
  );
  const userExists = db.prepare<[string], { found: number }>(
    "SELECT 1 AS found FROM users WHERE id = ?",
  );
  // The cap is checked in the same statement that adds, so no concurrent add can slip past it.
  const add = db.prepare<[string, string, number]>(
    `INSERT INTO cart_items (user_id, product_id, quantity) VALUES (?, ?, ?)
     ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = quantity + excluded.quantity
     WHERE quantity + excluded.quantity <= ${maxQuantityPerLine}`,
  );
  const set = db.prepare<[string, string, number]>(
    `INSERT INTO cart_items (user_id, product_id, quantity) VALUES (?, ?, ?)
     ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity`,
  );
  const summaries = db.prepare<[], CartSummaryRow>(
    `SELECT c.user_id AS userId, sum(c.quantity) AS itemCount,
            sum(c.quantity * p.price_cents) AS totalCents
     FROM cart_items c JOIN products p ON p.id = c.product_id GROUP BY c.user_id`,
  );
  const remove = db.prepare<[string, string]>(
    "DELETE FROM cart_items WHERE user_id = ? AND product_id = ?",
  );

  const readCart = (userId: string): Cart => toCart(lines.all(userId));

  // Each change and the cart it returns run in one transaction, so the reply matches the change.
  const addItem = db.transaction((userId: string, productId: string, quantity: number) => {
    if (!userExists.get(userId)) return { ok: false, reason: "unknown_user" } as const;
    if (!productExists.get(productId)) return { ok: false, reason: "unknown_product" } as const;
    if (add.run(userId, productId, quantity).changes === 0) {
      return { ok: false, reason: "quantity_limit" } as const;
    }
    return { ok: true, cart: readCart(userId) } as const;
  });

  const setItem = db.transaction((userId: string, productId: string, quantity: number) => {
    if (!userExists.get(userId)) return { ok: false, reason: "unknown_user" } as const;
    if (!productExists.get(productId)) return { ok: false, reason: "unknown_product" } as const;
    if (quantity === 0) remove.run(userId, productId);
    else set.run(userId, productId, quantity);
    return { ok: true, cart: readCart(userId) } as const;
  });

  const removeItem = db.transaction((userId: string, productId: string) => {
    remove.run(userId, productId);
    return readCart(userId);
  });

  // Each call is retried while another process holds the file (sqlite-busy.ts).
  return {
    async getCart(userId) {
      return withBusyRetry(() => readCart(userId));
    },
    async addItem(userId, productId, quantity) {
      assertQuantity(quantity, 1);
      return withBusyRetry(() => addItem.immediate(userId, productId, quantity));
    },
    async setItem(userId, productId, quantity) {
      assertQuantity(quantity, 0);
      return withBusyRetry(() => setItem.immediate(userId, productId, quantity));
    },
    async removeItem(userId, productId) {
      return withBusyRetry(() => removeItem.immediate(userId, productId));
    },
    async listCartSummaries() {
      return withBusyRetry(() => summaries.all());
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
