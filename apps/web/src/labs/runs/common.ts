import * as responses from "../../api/responses";
import { type Actor, LabStepFailed } from "../http";

/** The first product of the shop: the line a lab adds to. */
export async function firstProductId(actor: Actor): Promise<string> {
  const answer = await actor.call("GET", "/products");
  const id = responses.products(answer.body) ? answer.body.products[0]?.id : undefined;
  if (!id) throw new LabStepFailed("the shop listed no product");
  return id;
}

/** How many of `productId` the cart answer holds (0 when the answer is not a cart). */
export function quantityIn(cart: unknown, productId: string): number {
  if (!responses.cart(cart)) return 0;
  return cart.items.find((item) => item.productId === productId)?.quantity ?? 0;
}
