import { type LoginRequest, loginRequestSchema } from "@repo/contract";
import { type Account, canonicalizeUsername, type UserStore } from "@repo/store";
import type { Request, Response } from "express";
import { HttpError } from "./http-error";
import type { AttemptRefused, LoginThrottle } from "./login-throttle";
import { traceOf } from "./trace";
import { parseBody } from "./validate";

/**
 * The first half of every login, the same in both modes: validate the body, count the attempt
 * (refusing while the account or address is locked), check the password. What happens next (a
 * session or a token) is each backend's own lesson, in its `auth.ts`. The answer is the account
 * as read with the hash the password matched: the login keeps its cut-offs, so a password change
 * saved while this check ran still ends it. Only `publicUser` of it may reach a response.
 */
export async function checkCredentials(
  req: Request,
  res: Response,
  deps: { users: UserStore; throttle: LoginThrottle },
): Promise<Account> {
  const trace = traceOf(res);
  const { username, password }: LoginRequest = parseBody(loginRequestSchema, req);
  // Unknown and invalid usernames are throttled under their raw form, like real accounts.
  const accountKey = canonicalizeUsername(username) ?? username;
  const address = req.ip ?? "unknown";

  // Counted before the password is checked, in one atomic step of the store both backends
  // share: of 30 parallel guesses only the first 5 reach the hash, and a lock set here holds
  // in the other backend too. Even the right password is refused while a lock lasts.
  // #region verify-password
  const attempt = await deps.throttle.attempt({ account: accountKey, address }, () =>
    deps.users.verifyCredentials(username, password),
  );
  if (!attempt.allowed) throw refusal(attempt, res);
  const account = attempt.result;
  if (!account) {
    trace.add("verify_password", "password checked against the stored scrypt hash", "fail");
    // One message for unknown user and wrong password, so it does not reveal which accounts exist.
    throw new HttpError("invalid_credentials", "Wrong username or password.");
  }
  // #endregion
  trace.add(
    "verify_password",
    "password checked against the stored scrypt hash",
    "ok",
    `user ${account.username}`,
  );
  return account;
}

/** The 429 for an attempt the throttle refused, locked or busy, with the wait it asks for. */
function refusal(attempt: AttemptRefused, res: Response): HttpError {
  const locked = attempt.reason === "locked";
  traceOf(res).add(
    "verify_password",
    locked ? "login refused: too many failures" : "login refused: too many logins in progress",
    "fail",
  );
  const message = locked
    ? "Too many failed logins. Try again later."
    : "Too many logins in progress from this address. Try again shortly.";
  return new HttpError("rate_limited", message, undefined, {
    "Retry-After": String(attempt.retryAfterSeconds),
  });
}
