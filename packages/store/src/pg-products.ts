import type { Product } from "@repo/contract";
import type { PgDatabase } from "./pg-database";
import type { ProductCatalogue } from "./types";

const productColumns = `id, name, description, price_cents AS "priceCents" FROM products`;

/** The products table behind the async ProductCatalogue interface. */
export function createPgProductCatalogue(db: PgDatabase): ProductCatalogue {
  return {
    async listProducts() {
      return (await db.query<Product>(`SELECT ${productColumns} ORDER BY position, id`)).rows;
    },
    async findProduct(id) {
      return (await db.query<Product>(`SELECT ${productColumns} WHERE id = $1`, [id])).rows[0];
    },
  };
}
