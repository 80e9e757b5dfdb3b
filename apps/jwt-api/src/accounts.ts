// Accounts, the stateless way (docs/api.md): sign up, change the password, log out everywhere.
// Each reuses auth.ts's login or logout with another first step, so a new account and a new
// password get exactly the tokens a login gives, and logins end exactly as at logout. What the
// server can end is only what it keeps: the refresh token families. Access tokens already out
// stay valid until `exp`, unless the per-user cut-off is on (JWT_USER_CUTOFF=1).
import { changeOwnPassword, type checkCredentials, currentUser, signUp, traceOf } from "@repo/shop";
import { type RequestHandler, Router } from "express";
import type { AuthDeps } from "./auth-deps";

/** How a request proves who it is before login issues its tokens: `checkCredentials`'s shape. */
type Identify = typeof checkCredentials;

/** The pieces of auth.ts the account routes are built from. */
export interface AccountRouteParts {
  /** Refuses a foreign `Origin`: these routes set or clear the refresh cookie. */
  checkOrigin: RequestHandler;
  /** The access token must verify: what every route behind login runs. */
  gate: RequestHandler[];
  /** auth.ts's login, with another way to tell who it is; it issues a new token family. */
  login: (deps: AuthDeps, identify: Identify) => RequestHandler;
  /** auth.ts's logout: revokes this family, clears the cookie, denylists if configured. */
  logout: RequestHandler;
}

/** `POST /auth/signup`, `/auth/password` and `/auth/logout-everywhere`. */
export function accountRoutes(deps: AuthDeps, parts: AccountRouteParts): Router {
  const { checkOrigin, gate, login, logout } = parts;
  const router = Router();
  // #region account-routes
  // Sign-up logs the new user in as a login does (tokens, a new family), answering 201.
  router.post("/signup", checkOrigin, login(deps, signUp(deps)));
  // A password change needs the access token and the current password. Every refresh family
  // of the user is revoked, and login starts a new one for this client.
  router.post("/password", checkOrigin, ...gate, login(deps, changePassword(deps)));
  // Every family of the user ends, older access tokens are cut off, then this client logs out.
  router.post("/logout-everywhere", checkOrigin, ...gate, endOtherLogins(deps), logout);
  // #endregion
  return router;
}

// #region password-change
/** The current password proves it is the user; the store keeps the new one (shop). */
function changePassword(deps: AuthDeps): Identify {
  return async (req, res) => {
    // The store also moves the account's cut-offs to now: no login begun before the change is
    // renewed again, and with JWT_USER_CUTOFF=1 older access tokens are refused at once.
    const user = await changeOwnPassword(req, res, deps, currentUser(res).id);
    // Whoever knew the old password may hold a refresh token: every family of the user ends,
    // this client's too; login gives it a new one.
    await deps.tokenState.revokeUserFamilies(user.id);
    traceOf(res).add("clear_token", "every refresh token family of the user revoked", "ok");
    return user;
  };
}
// #endregion

// #region logout-everywhere
/** Revokes every refresh family of the user and cuts off the access tokens issued until now. */
function endOtherLogins(deps: AuthDeps): RequestHandler {
  return async (_req, res, next) => {
    const userId = currentUser(res).id;
    // The cut-offs first, in the shared store: from now on no refresh renews a login begun
    // before it (in this backend or the other; one racing this very request included), and
    // with JWT_USER_CUTOFF=1 every access token issued before now is refused. Without that
    // setting access tokens live until `exp`: the cost of statelessness.
    await deps.users.cutOffTokens(userId, deps.now());
    await deps.tokenState.revokeUserFamilies(userId);
    traceOf(res).add("clear_token", "every refresh token family of the user revoked", "ok");
    next();
  };
}
// #endregion
