import type { Product } from "@repo/contract";
import type { Database } from "better-sqlite3";
import { withBusyRetry } from "./sqlite-busy";
import type { ProductCatalogue } from "./types";

const productColumns = "id, name, description, price_cents AS priceCents FROM products";

/** The products table behind the async ProductCatalogue interface. */
export function createSqliteProductCatalogue(db: Database): ProductCatalogue {
  const all = db.prepare<[], Product>(`SELECT ${productColumns} ORDER BY position, id`);
  const byId = db.prepare<[string], Product>(`SELECT ${productColumns} WHERE id = ?`);

  return {
    async listProducts() {
      return withBusyRetry(() => all.all());
    },
    async findProduct(id) {
      return withBusyRetry(() => byId.get(id));
    },
  };
}
