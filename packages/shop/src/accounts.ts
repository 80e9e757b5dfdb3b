// What sign-up and password change share in both modes: the body, the password policy, the
// throttle and the store call. What follows (a session, or tokens) is each backend's own lesson,
// in its `accounts.ts`, as `checkCredentials` is the shared half of every login.
import {
  type PasswordChangeRequest,
  passwordChangeRequestSchema,
  type SignupRequest,
  signupRequestSchema,
} from "@repo/contract";
import {
  type Account,
  canonicalizeUsername,
  newPasswordProblem,
  type UserStore,
} from "@repo/store";
import type { Request, Response } from "express";
import { HttpError } from "./http-error";
import type { AttemptRefused, LoginThrottle } from "./login-throttle";
import { traceOf } from "./trace";
import { parseBody } from "./validate";

/** What the shared halves need from a backend's auth deps. */
interface AccountDeps {
  users: UserStore;
  throttle: LoginThrottle;
  now: () => number;
}

/**
 * `POST P/auth/signup`'s first half: a new customer account (never staff), or the answer that
 * says why not. The caller logs the new user in as its login does.
 */
export async function createAccount(
  req: Request,
  res: Response,
  deps: AccountDeps,
): Promise<Account> {
  const trace = traceOf(res);
  const { username, password, displayName }: SignupRequest = parseBody(signupRequestSchema, req);
  const canonical = canonicalizeUsername(username);
  if (canonical === undefined) {
    throw invalidField("username", "Use visible characters, at most 64 once trimmed.");
  }
  const problem = newPasswordProblem(password);
  if (problem) throw invalidField("password", problem);
  // Throttled like a login: a run of sign-ups for taken names is someone learning which
  // accounts exist, and each one costs a password hash. Counted apart from logins, per name and
  // per address, so probing a name this way cannot lock its owner out.
  const attempt = await deps.throttle.attempt(
    { kind: "signup", account: canonical, address: req.ip ?? "unknown" },
    async () => {
      const result = await deps.users.createUser({ username, password, displayName });
      return result.ok ? result.user : undefined;
    },
  );
  if (!attempt.allowed) throw tooMany(attempt, "Too many sign-ups from this address.");
  const created = attempt.result;
  if (!created) {
    trace.add("verify_password", "account created", "fail", "the username is taken");
    throw new HttpError("username_taken", "That username is taken: choose another.");
  }
  trace.add(
    "verify_password",
    "account created, password hashed",
    "ok",
    `user ${created.username}`,
  );
  return created;
}

/**
 * Sign-up as the first step of a backend's login (`checkCredentials`'s place): `createAccount`,
 * and 201 for the answer the login then sends, with a session or tokens.
 */
export function signUp(deps: AccountDeps): (req: Request, res: Response) => Promise<Account> {
  return async (req, res) => {
    const user = await createAccount(req, res, deps);
    res.status(201);
    return user;
  };
}

/**
 * `POST P/auth/password`'s first half: the current password must be right (throttled like a
 * login, on the same count), then the store keeps the new one's hash and cuts off the user's
 * older tokens. The caller ends the user's other logins and gives this one a new credential.
 */
export async function changeOwnPassword(
  req: Request,
  res: Response,
  deps: AccountDeps,
  userId: string,
): Promise<Account> {
  const trace = traceOf(res);
  const body: PasswordChangeRequest = parseBody(passwordChangeRequestSchema, req);
  const problem = newPasswordProblem(body.newPassword);
  if (problem) throw invalidField("newPassword", problem);
  const account = await deps.users.findAccountById(userId);
  if (!account) throw new HttpError("unauthenticated", "Log in first.");
  // The login's own count: guessing the current password here spends the same five tries.
  const accountKey = canonicalizeUsername(account.username) ?? account.username;
  const attempt = await deps.throttle.attempt(
    { account: accountKey, address: req.ip ?? "unknown" },
    () => deps.users.changePassword(userId, body.currentPassword, body.newPassword, deps.now()),
  );
  if (!attempt.allowed) throw tooMany(attempt, "Too many wrong passwords. Try again later.");
  const saved = attempt.result;
  if (!saved) {
    trace.add("verify_password", "current password checked", "fail");
    throw new HttpError("invalid_credentials", "The current password is wrong.");
  }
  trace.add("verify_password", "current password checked, new one hashed and stored", "ok");
  // The account as saved, with the cut-offs the change moved: the login that follows keeps
  // those, so it is the one login of this user that the change does not end.
  return saved;
}

/** 400 for one field, in the shape every validation failure has. */
function invalidField(path: string, message: string): HttpError {
  return new HttpError("invalid_request", message, [{ path, message }]);
}

/** 429 with the wait the throttle asks for. */
function tooMany(attempt: AttemptRefused, message: string): HttpError {
  return new HttpError("rate_limited", message, undefined, {
    "Retry-After": String(attempt.retryAfterSeconds),
  });
}
