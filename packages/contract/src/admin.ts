import { z } from "zod";
import { roleSchema, userSchema } from "./auth";

/** A user as staff see it on the staff page: the public fields, plus whether it is disabled. */
export const adminUserSchema = userSchema.extend({ disabled: z.boolean() });
export type AdminUser = z.infer<typeof adminUserSchema>;

/** `GET P/admin/users`. */
export const adminUsersResponseSchema = z.object({ users: z.array(adminUserSchema) });
export type AdminUsersResponse = z.infer<typeof adminUsersResponseSchema>;

/**
 * `PATCH P/admin/users/:id`: the role, the disabled flag, or both. Unknown keys are refused, so
 * a field this route does not change (a username, a password) can never be slipped in.
 */
export const adminUserChangeSchema = z
  .strictObject({ role: roleSchema.optional(), disabled: z.boolean().optional() })
  .refine((change) => change.role !== undefined || change.disabled !== undefined, {
    message: "send role, disabled or both",
  });
export type AdminUserChange = z.infer<typeof adminUserChangeSchema>;

/** `PATCH P/admin/users/:id` answers with the user as it now is. */
export const adminUserResponseSchema = z.object({ user: adminUserSchema });
export type AdminUserResponse = z.infer<typeof adminUserResponseSchema>;

/** One line of `GET P/admin/carts`: whose cart, and its size; the lines stay private. */
export const cartSummarySchema = z.object({
  user: userSchema,
  itemCount: z.number().int().nonnegative(),
  totalCents: z.number().int().nonnegative(),
});
export type CartSummary = z.infer<typeof cartSummarySchema>;

/** `GET P/admin/carts`: every user's cart, empty ones included. */
export const adminCartsResponseSchema = z.object({ carts: z.array(cartSummarySchema) });
export type AdminCartsResponse = z.infer<typeof adminCartsResponseSchema>;
