import {
  type AdminCartsResponse,
  type AdminUser,
  type AdminUserResponse,
  type AdminUsersResponse,
  roles,
} from "@repo/contract";
import { arrayOf, boolean, number, object, oneOf, type Shape, string } from "./shapes";

// The staff routes' answers (docs/api.md) as the browser checks them, typed against the
// contract's own types like `responses.ts`, so a renamed field fails `tsc` here too.

const publicUser = {
  id: string,
  username: string,
  displayName: string,
  role: oneOf(...roles),
};
const adminUser: Shape<AdminUser> = object({ ...publicUser, disabled: boolean });

export const users: Shape<AdminUsersResponse> = object({ users: arrayOf(adminUser) });

export const user: Shape<AdminUserResponse> = object({ user: adminUser });

export const carts: Shape<AdminCartsResponse> = object({
  carts: arrayOf(object({ user: object(publicUser), itemCount: number, totalCents: number })),
});
