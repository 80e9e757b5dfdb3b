import { type LoginRequest, loginRequestSchema, type User } from "@repo/contract";
import { canonicalizeUsername, type UserStore } from "@repo/store";
import type { Request, Response } from "express";
import { HttpError } from "./http-error";
import type { LoginThrottle } from "./login-throttle";
import { traceOf } from "./trace";
import { parseBody } from "./validate";

/**
 * The first half of every login, the same in both modes: validate the body, refuse while the
 * account or address is locked, check the password. What happens next (a session or a token)
 * is each backend's own lesson, in its `auth.ts`.
 */
export async function checkCredentials(
  req: Request,
  res: Response,
  deps: { users: UserStore; throttle: LoginThrottle },
): Promise<User> {
  const trace = traceOf(res);
  const { username, password }: LoginRequest = parseBody(loginRequestSchema, req);
  // Unknown and invalid usernames are throttled under their raw form, like real accounts.
  const accountKey = canonicalizeUsername(username) ?? username;
  const address = req.ip ?? "unknown";

  const verdict = await deps.throttle.check(accountKey, address);
  if (!verdict.allowed) {
    // Checked before the password, so even the right password is refused during a lock.
    trace.add("verify_password", "login refused: too many failures", "fail");
    throw new HttpError("rate_limited", "Too many failed logins. Try again later.", undefined, {
      "Retry-After": String(verdict.retryAfterSeconds),
    });
  }

  const user = await deps.users.verifyCredentials(username, password);
  if (!user) {
    await deps.throttle.recordFailure(accountKey, address);
    trace.add("verify_password", "password checked against the stored scrypt hash", "fail");
    // One message for unknown user and wrong password, so it does not reveal which accounts exist.
    throw new HttpError("invalid_credentials", "Wrong username or password.");
  }
  await deps.throttle.recordSuccess(accountKey);
  trace.add(
    "verify_password",
    "password checked against the stored scrypt hash",
    "ok",
    `user ${user.username}`,
  );
  return user;
}
