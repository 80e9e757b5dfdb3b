// THE MISTAKE, kept on purpose for the lost-updates lab (docs/api.md, "Demo settings"): a cart
// kept *in the session*. Demo mode only, never in production, and never a pattern to copy.
//
// express-session loads the whole session when a request starts and saves the whole object
// when it ends. Two requests of one user that overlap each load the same cart, each push one
// item, and each save their own copy: the last save wins and the other item is lost. Fifty
// concurrent adds keep far fewer than fifty. The real cart (`P/cart`) lives in the shop's store,
// where each add is one atomic statement, so the same fifty adds keep all fifty.
import {
  addItemRequestSchema,
  maxSessionCartEntries,
  type SessionCart,
  type SessionCartItem,
} from "@repo/contract";
import { HttpError, parseBody, traceOf } from "@repo/shop";
import type { ProductCatalogue } from "@repo/store";
import { type Request, type RequestHandler, Router } from "express";

declare module "express-session" {
  interface SessionData {
    /** The demo's session cart: state that changes, in the session. Do not copy. */
    cart?: SessionCartItem[];
  }
}

/** `GET /`, `POST /items` and `DELETE /` of `P/demo/session-cart`, behind the login gate. */
export function sessionCartRoutes(deps: {
  requireUser: RequestHandler[];
  products: ProductCatalogue;
}): Router {
  const router = Router();
  router.get("/", ...deps.requireUser, (req, res) => {
    res.json(cartOf(req));
  });

  router.post("/items", ...deps.requireUser, async (req, res) => {
    const item = parseBody(addItemRequestSchema, req);
    if (!(await deps.products.findProduct(item.productId))) {
      throw new HttpError("not_found", "No such product.");
    }
    // #region session-cart-push
    // Read from this request's copy of the session, loaded when the request began...
    req.session.cart ??= [];
    if (req.session.cart.length >= maxSessionCartEntries) {
      throw new HttpError(
        "quantity_limit",
        `The session cart holds at most ${maxSessionCartEntries} entries.`,
      );
    }
    req.session.cart.push(item);
    // ...and written back whole after the response, over whatever other requests saved since.
    // #endregion
    const detail = `${req.session.cart.length} entries in this request's copy`;
    traceOf(res).add("store_session", "cart pushed into the session, saved whole", "info", detail);
    res.json(cartOf(req));
  });

  router.delete("/", ...deps.requireUser, (req, res) => {
    delete req.session.cart;
    res.status(204).end();
  });
  return router;
}

function cartOf(req: Request): SessionCart {
  const items = req.session.cart ?? [];
  return { items, itemCount: items.reduce((sum, item) => sum + item.quantity, 0) };
}
