import {
  addItemRequestSchema,
  type Cart,
  type ProductsResponse,
  productIdSchema,
  setItemRequestSchema,
} from "@repo/contract";
import type { CartChange, CartStore, ProductCatalogue } from "@repo/store";
import { type RequestHandler, Router } from "express";
import { currentUser } from "./current-user";
import { HttpError } from "./http-error";
import { parseBody, parseParam } from "./validate";

/** Turns a refused cart change into the HTTP error the contract names for it. */
function cartOrThrow(change: CartChange): Cart {
  if (change.ok) return change.cart;
  if (change.reason === "unknown_product") {
    throw new HttpError("not_found", "There is no product with that id.");
  }
  if (change.reason === "unknown_user") {
    // A token the API trusts without a lookup may outlive its account: it can write nothing.
    throw new HttpError("unauthenticated", "This account no longer exists.");
  }
  throw new HttpError("quantity_limit", "A cart line cannot hold more than 99.");
}

/** `GET P/products`: public, so it needs no identity and sets no cookie. */
export function productRoutes(products: ProductCatalogue): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    const body: ProductsResponse = { products: await products.listProducts() };
    res.json(body);
  });
  return router;
}

/**
 * The cart routes of docs/api.md, identical for both backends. `requireUser` is the backend's own
 * answer to "who is this?"; these handlers only ever see the user it found.
 */
export function cartRoutes(
  carts: CartStore,
  products: ProductCatalogue,
  requireUser: RequestHandler[],
): Router {
  const router = Router();
  router.use(requireUser);

  router.get("/", async (_req, res) => {
    res.json(await carts.getCart(currentUser(res).id));
  });

  router.post("/items", async (req, res) => {
    const { productId, quantity } = parseBody(addItemRequestSchema, req);
    res.json(cartOrThrow(await carts.addItem(currentUser(res).id, productId, quantity)));
  });

  router.patch("/items/:productId", async (req, res) => {
    const productId = parseParam(productIdSchema, req.params.productId, "productId");
    const { quantity } = parseBody(setItemRequestSchema, req);
    res.json(cartOrThrow(await carts.setItem(currentUser(res).id, productId, quantity)));
  });

  router.delete("/items/:productId", async (req, res) => {
    const productId = parseParam(productIdSchema, req.params.productId, "productId");
    // An absent line is fine to remove; a product that does not exist is still a 404.
    if (!(await products.findProduct(productId)))
      cartOrThrow({ ok: false, reason: "unknown_product" });
    res.json(await carts.removeItem(currentUser(res).id, productId));
  });

  return router;
}
