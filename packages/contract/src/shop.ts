import { z } from "zod";
import { maxQuantityPerLine } from "./values";

/** Product ids are short slugs, so a path segment can never smuggle anything else. */
export const productIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a product id such as 'tea-mug'");

export const productSchema = z.object({
  id: productIdSchema,
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int().nonnegative(),
});
export type Product = z.infer<typeof productSchema>;

export const productsResponseSchema = z.object({ products: z.array(productSchema) });
export type ProductsResponse = z.infer<typeof productsResponseSchema>;

export const cartLineSchema = z.object({
  productId: productIdSchema,
  name: z.string(),
  priceCents: z.number().int().nonnegative(),
  quantity: z.number().int().min(1).max(maxQuantityPerLine),
  lineTotalCents: z.number().int().nonnegative(),
});
export type CartLine = z.infer<typeof cartLineSchema>;

export const cartSchema = z.object({
  items: z.array(cartLineSchema),
  itemCount: z.number().int().nonnegative(),
  totalCents: z.number().int().nonnegative(),
});
export type Cart = z.infer<typeof cartSchema>;

/** `POST P/cart/items`: adds `quantity` to the line. Unknown keys are refused, never copied. */
export const addItemRequestSchema = z.strictObject({
  productId: productIdSchema,
  quantity: z.number().int().min(1).max(maxQuantityPerLine),
});
export type AddItemRequest = z.infer<typeof addItemRequestSchema>;

/** `PATCH P/cart/items/:productId`: sets the line; 0 removes it. */
export const setItemRequestSchema = z.strictObject({
  quantity: z.number().int().min(0).max(maxQuantityPerLine),
});
export type SetItemRequest = z.infer<typeof setItemRequestSchema>;
