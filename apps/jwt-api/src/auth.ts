// How a request proves who it is, the stateless way: this backend's whole lesson is in this file.
//
// At login the server signs a short-lived *access token* (a JWT) and hands it to the client, which
// sends it back on every request in `Authorization: Bearer <token>`. The server keeps no record
// of it: the signature and a few claims say who is asking, with no session to look up. That is
// the promise of JWTs, and also their cost: a token cannot be called back before it expires. So
// it lives 15 minutes by default, and a long-lived *refresh token* (opaque, stored hashed, in an
// HttpOnly cookie the page's scripts cannot read) gets the client a new one.
//
// The token also answers the second question, "what may you do?": it carries the user's `role`,
// and the gate trusts it without asking the store. So a user demoted, disabled or deleted keeps
// the old role until the token expires; the next refresh reads the store. JWT_USER_CUTOFF=1 is the
// remedy, at the price of one lookup per request: tokens older than the account's cut-off die.
//
// No CSRF token: a browser adds cookies to a request by itself, even to another site's, but
// never an `Authorization` header. Only the refresh cookie travels by itself (see createAuth).
//
// Sources: RFC 7519 (JWT), 8725 (JWT BCP), 6750 (Bearer), 9700 (OAuth BCP), OWASP JWT Cheat Sheet.
import { randomUUID } from "node:crypto";
import { type JwtMeResponse, shortenSecret } from "@repo/contract";
import {
  checkCredentials,
  currentUser,
  describeRole,
  rejectForeignOrigin,
  requireCookieDelivery,
  setCurrentUser,
  traceOf,
} from "@repo/shop";
import { publicUser } from "@repo/store";
import cookieParser from "cookie-parser";
import { type RequestHandler, Router } from "express";
import { invalidToken, issueAccessToken, unlessExpired, verifyAccessToken } from "./access-token";
import { accountRoutes } from "./accounts";
import type { AuthDeps } from "./auth-deps";
import { readBearerToken } from "./bearer";
import { denyUntilExpiry } from "./denylist";
import { cutOffReason } from "./login-cutoff";
import {
  clearRefreshCookie,
  hashRefreshToken,
  newRefreshToken,
  readRefreshCookie,
  refuseRefresh,
  setRefreshCookie,
} from "./refresh-token";
import { accountToSign, checkCutOff } from "./user-cutoff";
import { setVerifiedClaims, verifiedClaimsIfAny } from "./verified-claims";

/** The auth routes, and the `requireUser` chain the shared cart routes run behind. */
export function createAuth(deps: AuthDeps): { router: Router; requireUser: RequestHandler[] } {
  // #region routes
  const { trustedOrigins } = deps; // a request from another site's page is refused first
  const checkOrigin = rejectForeignOrigin({ trustedOrigins, traceStep: "verify_token" });
  // The cart routes read no cookie, so the token alone guards them: no Origin check, no CSRF.
  const gate = [requireUser(deps)];
  const router = Router();
  router.use(cookieParser()); // only the auth routes read cookies: the refresh token's Path
  // Login sets the refresh cookie, logout and refresh read it: another site's page must not
  // start them, and login from it would log a visitor in to the attacker's account.
  router.post("/login", checkOrigin, login(deps));
  // Logout takes the access token if it is still good, or else the refresh cookie alone.
  router.post("/logout", checkOrigin, unlessExpired(requireUser(deps)), logout(deps));
  router.get("/me", ...gate, me(deps));
  router.post("/refresh", checkOrigin, refresh(deps));
  // #endregion
  // Sign-up, password change and log-out-everywhere reuse login and logout (accounts.ts).
  router.use(accountRoutes(deps, { checkOrigin, gate, login, logout: logout(deps) }));
  return { router, requireUser: gate };
}

/** `POST /auth/login`: check the password, sign an access token, set a refresh token. */
function login(deps: AuthDeps, identify = checkCredentials): RequestHandler {
  return async (req, res) => {
    // #region login
    // A Secure cookie over plain HTTP would never reach the browser: refuse before storing any.
    requireCookieDelivery(req, deps.isProduction, traceOf(res), "return_token");
    // Body validation, throttling and the password check: the same in both modes (shop).
    const account = await identify(req, res, deps);
    // Nothing is stored for the access token: it is signed (our algorithm, typed `at+jwt`, 15
    // minutes to live by default) and returned in the body, for the app's own code to send back.
    const body = issueAccessToken(await accountToSign(account, deps), res, deps);
    // #endregion
    // #region login-family
    // Every login starts a new refresh token family: reuse detection revokes one family, so a
    // stolen token from this device does not log the user out everywhere. It keeps the logins
    // cut-off that the password was checked under: a change saved since, even during that
    // check, has moved the account's past it, and the family's next refresh is refused.
    const refresh = newRefreshToken(deps);
    const family = { familyId: randomUUID(), userId: account.id };
    const first = { ...refresh.record, ...family, loginCutOffMs: account.loginsValidAfterMs };
    await deps.tokenState.saveRefreshToken(first, deps.now());
    setRefreshCookie(res, refresh.token, refresh.record.expiresAtMs, deps);
    res.json(body);
    // #endregion
  };
}

/** The gate before every route that needs a user: the token must verify; its claims say who. */
function requireUser(deps: AuthDeps): RequestHandler {
  return async (req, res, next) => {
    const trace = traceOf(res);
    // #region require-user
    // Only the Authorization header counts, and the token must be one we signed, for this API,
    // not yet expired: no store is asked whether anyone is logged in.
    const token = readBearerToken(req, trace);
    const claims = verifyAccessToken(token, deps, trace);
    // #endregion
    // #region denylist-check
    // Only with JWT_DENYLIST=1: a token logged out before its `exp` is refused (see logout).
    if (deps.denylist && (await deps.tokenState.isAccessTokenDenied(claims.jti, deps.now()))) {
      const jti = shortenSecret(claims.jti);
      trace.add("verify_token", "denylist checked", "fail", `jti ${jti} was logged out`);
      throw invalidToken();
    }
    // #endregion
    setVerifiedClaims(res, claims);
    // #region trust-claims
    // Stateless by default: the claims are the truth until `exp`, role included, and no store is
    // asked. Cheap, and the lesson's trade: the role is what it was when the token was signed.
    if (!deps.userCutoff) {
      const principal = { id: claims.sub, role: claims.role, roleFrom: "token" } as const;
      const role = () => describeRole(principal); // a function: built only for a sent trace
      trace.add("verify_token", "claims trusted, no user lookup", "info", role);
      setCurrentUser(res, principal);
      return next();
    }
    // #endregion
    // #region user-cutoff
    // JWT_USER_CUTOFF=1, the remedy: load the account after all, and refuse the token if the
    // account is gone, disabled or changed since it was issued; the role is then the store's.
    setCurrentUser(res, await checkCutOff(claims, deps.users, trace));
    next();
    // #endregion
  };
}

/** `POST /auth/logout`, never GET: a link or an image must not be able to log anyone out. */
function logout(deps: AuthDeps): RequestHandler {
  return async (req, res) => {
    const trace = traceOf(res);
    // #region logout
    // The refresh token's whole family is revoked. Its cookie alone is proof enough (a page whose
    // access token expired can still log out); with an access token, it must be that user's.
    const claims = verifiedClaimsIfAny(res);
    const presented = readRefreshCookie(req);
    const record =
      presented && (await deps.tokenState.findRefreshToken(hashRefreshToken(presented)));
    if (!claims && !record) refuseRefresh(res, deps, "no access or refresh token", "clear_token");
    if (record && (!claims || record.userId === claims.sub)) {
      await deps.tokenState.revokeFamily(record.familyId);
      const family = shortenSecret(record.familyId);
      trace.add("clear_token", "refresh token family revoked", "ok", `family ${family}`);
    }
    clearRefreshCookie(res, deps);
    res.set("Clear-Site-Data", '"cookies"'); // every cookie of the site; the page drops its token
    if (!claims) return void res.status(204).end(); // an expired or cut-off token is dead already
    // #endregion
    // #region logout-access-token
    // The access token itself is still valid: nothing on the server can take back a signed token.
    // Either wait out its `exp` (the default, and the honest cost of statelessness) or keep its
    // `jti` on a denylist until then, which brings back a lookup per request (OWASP JWT, "Token
    // Explicit Revocation by the User").
    if (deps.denylist) {
      await denyUntilExpiry(claims, deps, trace); // until `exp`, plus the clock tolerance
    } else {
      const step = "access token still valid until exp: the client must drop it";
      trace.add("clear_token", step, "info", `exp ${new Date(claims.exp * 1000).toISOString()}`);
    }
    // #endregion
    res.status(204).end();
  };
}

/** `GET /auth/me`: who the access token belongs to, as the store knows them now. */
function me(deps: AuthDeps): RequestHandler {
  return async (_req, res) => {
    // #region me
    // Read from the store even without the cut-off, like refresh: the name and role as of now.
    const account = await deps.users.findAccountById(currentUser(res).id);
    if (!account || account.disabled) throw invalidToken(); // no one left to show
    res.json({ user: publicUser(account) } satisfies JwtMeResponse);
    // #endregion
  };
}

/** `POST /auth/refresh`: a new access token for the refresh cookie, no password asked. */
function refresh(deps: AuthDeps): RequestHandler {
  return async (req, res) => {
    // #region refresh
    const presented = readRefreshCookie(req);
    if (!presented) refuseRefresh(res, deps, "no refresh token cookie");
    // Rotation (RFC 9700 §4.14.2): each refresh token works once. The store retires it and saves
    // its successor in one atomic step, so of two requests racing with one token, one wins. A
    // token used twice means a copy exists, the thief's or the user's, and no one can tell which:
    // so reuse revokes the whole family and both must log in again.
    const next = newRefreshToken(deps);
    const presentedHash = hashRefreshToken(presented);
    const result = await deps.tokenState.rotateRefreshToken(presentedHash, next.record, deps.now());
    // #endregion
    // #region refresh-reuse
    if (!result.ok && result.reason === "reused") {
      // Someone holds a copy of a token: the operator should hear of it (never the token itself).
      const family = shortenSecret(result.familyId);
      deps.log(`refresh token reused: family ${family} of user ${result.userId} revoked`);
      refuseRefresh(res, deps, "reused: the whole family is revoked");
    }
    if (!result.ok) refuseRefresh(res, deps, result.reason);
    // #endregion
    // #region refresh-account
    // Refresh always reads the store: this is where a JWT user's role catches up with the store,
    // and where a login ends, its whole family with it, if the account is gone or disabled, or
    // the password was changed or "log out everywhere" used since (in either backend).
    const account = await deps.users.findAccountById(result.userId);
    const refused = cutOffReason(account, result.loginCutOffMs);
    if (refused || !account) {
      await deps.tokenState.revokeFamily(result.familyId);
      refuseRefresh(res, deps, refused ?? "no such user any more");
    }
    // #endregion
    // #region refresh-answer
    const family = shortenSecret(result.familyId);
    traceOf(res).add("return_token", "refresh token rotated", "ok", `family ${family}`);
    const body = issueAccessToken(account, res, deps); // the role as the store has it
    setRefreshCookie(res, next.token, result.expiresAtMs, deps);
    res.json(body);
    // #endregion
  };
}
