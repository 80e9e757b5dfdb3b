import type { User } from "@repo/contract";
import type { Response } from "express";

/** Records who this request proved to be; called by each backend's own auth middleware. */
export function setCurrentUser(res: Response, user: User): void {
  res.locals.user = user;
}

/** Who this request proved to be. Calling it on a route without auth is a bug, so it throws. */
export function currentUser(res: Response): User {
  const user = res.locals.user as User | undefined;
  if (!user) throw new Error("currentUser() called on a route that does not require a user");
  return user;
}
