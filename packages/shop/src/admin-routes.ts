import {
  type AdminCartsResponse,
  type AdminUser,
  type AdminUserResponse,
  type AdminUsersResponse,
  adminUserChangeSchema,
  type WorkflowStep,
} from "@repo/contract";
import { type Account, type CartStore, publicUser, type UserStore } from "@repo/store";
import { type RequestHandler, Router } from "express";
import { currentUser } from "./current-user";
import { HttpError } from "./http-error";
import { requireRole } from "./require-role";
import { traceOf } from "./trace";
import { parseBody } from "./validate";

/** What the staff routes need: the stores, the backend's gate, and its clock. */
export interface AdminRoutesDeps {
  users: UserStore;
  carts: CartStore;
  /** The backend's answer to "who are you?", as for the cart routes. */
  requireUser: RequestHandler[];
  /** Where the role check shows in the trace: the step of the workflow that read the role. */
  traceStep: WorkflowStep;
  /** The clock in milliseconds, for the account's cut-off. */
  now: () => number;
}

/** An account as the staff page shows it: public fields and the disabled flag, nothing more. */
const adminView = (account: Account): AdminUser => ({
  ...publicUser(account),
  disabled: account.disabled,
});

/** The staff routes of docs/api.md, the same in both backends: users, their roles, all carts. */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const router = Router();
  // #region admin-gate
  // Authentication, then authorization: no user is 401, a user without the role is 403.
  router.use(deps.requireUser, requireRole("staff", deps.traceStep));
  // #endregion

  router.get("/users", async (_req, res) => {
    const body: AdminUsersResponse = { users: (await deps.users.listAccounts()).map(adminView) };
    res.json(body);
  });

  router.patch("/users/:id", async (req, res) => {
    const change = parseBody(adminUserChangeSchema, req);
    // #region own-account
    // Staff cannot demote or disable themselves: the last staff member would lock everyone out
    // of this page. Changing a staff account always takes another staff member.
    if (req.params.id === currentUser(res).id) {
      throw new HttpError("own_account", "Staff cannot change their own account.");
    }
    // #endregion
    const account = await deps.users.updateAccount(String(req.params.id), change, deps.now());
    if (!account) throw new HttpError("not_found", "There is no user with that id.");
    const state = `role ${account.role}, ${account.disabled ? "disabled" : "enabled"}`;
    traceOf(res).add(
      deps.traceStep,
      "account changed in the store",
      "ok",
      `${account.username}: ${state}`,
    );
    const body: AdminUserResponse = { user: adminView(account) };
    res.json(body);
  });

  router.get("/carts", async (_req, res) => {
    // Two queries, whatever the number of users: the accounts, and every non-empty cart's sums.
    const [accounts, summaries] = await Promise.all([
      deps.users.listAccounts(),
      deps.carts.listCartSummaries(),
    ]);
    const byUser = new Map(summaries.map((summary) => [summary.userId, summary]));
    const body: AdminCartsResponse = {
      carts: accounts.map((account) => ({
        user: publicUser(account),
        itemCount: byUser.get(account.id)?.itemCount ?? 0,
        totalCents: byUser.get(account.id)?.totalCents ?? 0,
      })),
    };
    res.json(body);
  });

  return router;
}
