import type { User } from "@repo/contract";
import type { Account } from "./types";

/** The fields of an account any response may carry: never the flags only the server keeps. */
export function publicUser(account: Account): User {
  const { id, username, displayName, role } = account;
  return { id, username, displayName, role };
}
