import type { Role, WorkflowStep } from "@repo/contract";
import type { RequestHandler } from "express";
import { currentUser, describeRole } from "./current-user";
import { HttpError } from "./http-error";
import { traceOf } from "./trace";

/**
 * Authorization, the second question: the user is known (the backend's `requireUser` ran first
 * and answered "who are you?"); may they do this? Only the role counts, read from wherever the
 * backend got it: the store (sessions) or the token's claim (JWT). A wrong role is 403
 * `forbidden`, not 401: logging in again would not help, the identity is not in doubt.
 */
// #region require-role
export function requireRole(role: Role, traceStep: WorkflowStep): RequestHandler {
  return (_req, res, next) => {
    const principal = currentUser(res);
    const detail = `${describeRole(principal)}; this route needs ${role}`;
    if (principal.role !== role) {
      traceOf(res).add(traceStep, "role checked", "fail", detail);
      throw new HttpError("forbidden", `Only ${role} may do this.`);
    }
    traceOf(res).add(traceStep, "role checked", "ok", detail);
    next();
  };
}
// #endregion
