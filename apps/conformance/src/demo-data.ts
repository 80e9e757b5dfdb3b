import { demoUsers } from "@repo/contract";
import { demoProducts } from "@repo/store";

// The demo data every backend seeds, from the lists the store seeds it from.

function demoAccount(index: number) {
  const account = demoUsers[index];
  if (!account) throw new Error(`the contract lists no demo user #${index + 1}`);
  return account;
}

/** The demo accounts of docs/api.md: alice, then bob, customers, and sam, staff. */
export const aliceAccount = demoAccount(0);
export const bobAccount = demoAccount(1);
export const samAccount = demoAccount(2);

/** The first product of the seeded catalogue, for attacks that need one in the cart. */
export const firstProductId = demoProducts[0]?.id ?? "";
if (!firstProductId) throw new Error("the store seeds no product");
