import type { Role } from "@repo/contract";
import type { Response } from "express";

/**
 * Where the role a request acts with was read: `store`, looked up during this request, so it is
 * the role now; `token`, the access token's claim, so it is the role when the token was signed.
 */
export type RoleSource = "store" | "token";

/** Who a request proved to be and the role it acts with: all the shared routes need to know. */
export interface Principal {
  id: string;
  role: Role;
  roleFrom: RoleSource;
}

/** Records who this request proved to be; called by each backend's own auth middleware. */
export function setCurrentUser(res: Response, principal: Principal): void {
  res.locals.principal = principal;
}

/** Who this request proved to be. Calling it on a route without auth is a bug, so it throws. */
export function currentUser(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error("currentUser() called on a route that does not require a user");
  return principal;
}

/** How traces name a role's source: "role staff, from the token claim". */
export function describeRole({ role, roleFrom }: Principal): string {
  return `role ${role}, from ${roleFrom === "store" ? "the store" : "the token claim"}`;
}
