// How a request proves who it is, the stateful way: this backend's whole lesson is in this file.
//
// At login the server writes a small record into a store it owns (who logged in, when, until
// when at the latest, and a CSRF token) and hands the browser only a long random id for it, in a
// signed, HttpOnly cookie. The browser sends that cookie back on every request by itself; the
// server looks the id up and knows who is asking. Logging out deletes the record, and the id is
// dead at once, wherever a copy of it is. That is the promise of sessions, and also their cost:
// a store lookup on every request, in a store that every server of the app must share.
//
// The same lookup answers the second question, "what may you do?": the session holds only the
// user's id, and the account (its role, whether it is disabled) is read from the store on every
// request. So a role change counts at the user's next request, and a disabled account's
// sessions are refused at once: nothing about authorization is ever stale.
//
// A CSRF token: a browser adds cookies to a request by itself, even to another site's, so every
// unsafe request must also carry the session's token, which only our page can read (below).
//
// Sources: the OWASP Session Management and Cross-Site Request Forgery Prevention Cheat Sheets.
import { randomBytes } from "node:crypto";
import {
  csrfHeaderName,
  type SessionLoginResponse,
  type SessionMeResponse,
  sessionCookieName,
  shortenSecret,
} from "@repo/contract";
import {
  checkCredentials,
  currentUser,
  describeRole,
  HttpError,
  rejectForeignOrigin,
  requireCookieDelivery,
  secureCookie,
  setCurrentUser,
  traceOf,
} from "@repo/shop";
import { publicUser } from "@repo/store";
import { type RequestHandler, Router } from "express";
import { accountRoutes } from "./accounts";
import type { AuthDeps } from "./auth-deps";
import { sidCookieOptions } from "./cookie-options";
import { safeMethods, tokensMatch } from "./csrf";
import { cutOffReason } from "./login-cutoff";
import { destroySession, regenerateSession, saveSession } from "./session-calls";
import { sessionMiddleware } from "./session-middleware";
import { describeSid, noSession, unauthenticated } from "./session-trace";

/** The auth routes, and the `requireUser` chain the shared cart routes run behind. */
export function createAuth(deps: AuthDeps): { router: Router; requireUser: RequestHandler[] } {
  // #region routes
  const { trustedOrigins } = deps; // a write from another site's page is refused first
  const checkOrigin = rejectForeignOrigin({ trustedOrigins, traceStep: "lookup_session" });
  const loadSession = sessionMiddleware(deps); // express-session: cookie, signature, store
  // Order matters: a foreign origin is refused before any store lookup, and the CSRF token
  // can only be checked once the session that holds it is loaded.
  const gate = [checkOrigin, loadSession, requireUser(deps), requireCsrfToken(deps)];
  const router = Router();
  // Login needs no CSRF token (no session holds one yet); the Origin check and the JSON-only
  // body stop another site from logging a visitor in to the attacker's account.
  router.post("/login", checkOrigin, loadSession, login(deps));
  router.post("/logout", ...gate, logout(deps));
  router.get("/me", ...gate, me(deps));
  // #endregion
  // Sign-up, password change and log-out-everywhere reuse login and logout (accounts.ts).
  router.use(accountRoutes(deps, { checkOrigin, loadSession, gate, login, logout: logout(deps) }));
  return { router, requireUser: gate };
}

/** `POST /auth/login`: check the password, start a brand-new session, set its cookie. */
function login(deps: AuthDeps, identify = checkCredentials): RequestHandler {
  return async (req, res) => {
    const trace = traceOf(res);
    // #region login
    // A Secure cookie over plain HTTP would never reach the browser: refuse before storing any.
    requireCookieDelivery(req, deps.isProduction, trace, "issue_cookie");
    // Body validation, throttling and the password check: the same in both modes (shop).
    const account = await identify(req, res, deps);
    // Session fixation: an id that existed before login (planted by an attacker, or seen by
    // anyone) must never become a logged-in id. regenerate() deletes the old session from the
    // store and gives this request a fresh random id; if the store fails, nobody logs in.
    await regenerateSession(req);
    trace.add("store_session", "session id regenerated, any earlier one deleted", "ok");
    // #endregion
    // #region login-session
    const nowMs = deps.now();
    req.session.userId = account.id;
    req.session.loggedInAtMs = nowMs; // shown in the demo's list of sessions
    // The logins cut-off that the password was checked under: a password change saved since,
    // even during that check, has moved the account's past it, and ends this login (load-user).
    req.session.loginCutOffMs = account.loginsValidAfterMs;
    req.session.absoluteExpiresAtMs = nowMs + deps.absoluteTimeoutMs;
    // One random token per session, which a page on another site can never read (see csrf).
    req.session.csrfToken = randomBytes(32).toString("base64url");
    // #endregion
    // #region login-save
    // Saved before we answer, so a failing store gives 503, not a lost login. (express-session
    // writes it once more after the response, a quirk after regenerate(): one extra write.)
    await saveSession(req);
    trace.add("store_session", "session saved in the store", "ok", `sid ${describeSid(req)}`);
    // express-session sends Set-Cookie with the response: `s:<id>.<signature>`, nothing more.
    trace.addSetCookie("issue_cookie", "Set-Cookie: sid, signed", sessionCookieName);
    const { csrfToken } = req.session;
    res.json({ user: publicUser(account), csrfToken } satisfies SessionLoginResponse);
    // #endregion
  };
}

/** The gate before every route that needs a user: the session must be live, the user must exist. */
function requireUser(deps: AuthDeps): RequestHandler {
  return async (req, res, next) => {
    const trace = traceOf(res);
    // #region require-user
    // express-session only asks the store about a cookie that carries our signature, so a
    // session found here proves the signature: no need to check it twice. Unknown, expired and
    // logged-out ids all come back as an empty, new session.
    const { userId, absoluteExpiresAtMs, csrfToken } = req.session;
    if (userId === undefined || absoluteExpiresAtMs === undefined || csrfToken === undefined) {
      throw noSession(req, deps.secrets, trace);
    }
    // Trace details as functions: only demo mode, which sends the trace, ever builds them.
    const cookie = () => shortenSecret(`s:${req.sessionID}`, 8); // the start of the cookie as sent
    trace.add("send_cookie", "sid cookie read from the Cookie header", "ok", cookie);
    trace.add("lookup_session", "signature checked", "ok", "HMAC-SHA256");
    const sid = () => `sid ${describeSid(req)}`;
    trace.add("lookup_session", "session looked up in the store", "ok", sid);
    // #endregion
    // #region absolute-lifetime
    // Absolute lifetime: even a session in constant use ends, so a stolen id expires too.
    if (deps.now() >= absoluteExpiresAtMs) {
      await destroySession(req);
      trace.add("lookup_session", "absolute lifetime checked", "fail", "too old, deleted");
      throw unauthenticated();
    }
    // #endregion
    // #region load-user
    // The account, read now: its role is the store's, never a copy made at login. A deleted or
    // disabled account's session dies with it, as does one whose password check predates a
    // password change or "log out everywhere" (even one that ran during it, or their scan missed).
    const account = await deps.users.findAccountById(userId);
    const refused = cutOffReason(account, req.session);
    if (refused || !account) {
      await destroySession(req);
      trace.add("lookup_session", "user loaded", "fail", `${refused}; session deleted`);
      throw unauthenticated();
    }
    const principal = { id: account.id, role: account.role, roleFrom: "store" } as const;
    const detail = () => `user ${account.username}, ${describeRole(principal)}`;
    trace.add("lookup_session", "user loaded", "ok", detail);
    setCurrentUser(res, principal);
    next();
    // #endregion
  };
}

/** `POST /auth/logout`, never GET: a link or an image must not be able to log anyone out. */
function logout(deps: AuthDeps): RequestHandler {
  return async (req, res) => {
    const trace = traceOf(res);
    // #region logout
    const sid = describeSid(req);
    // Deleted in the store, so the id is dead everywhere, even where the cookie was copied.
    await destroySession(req);
    trace.add("destroy_session", "session deleted from the store", "ok", `sid ${sid}`);
    // Same name, path and flags as when it was set, or the browser would keep the old cookie.
    const secure = secureCookie(req, deps.isProduction);
    res.clearCookie(sessionCookieName, { ...sidCookieOptions(deps.isProduction), secure });
    // And every other cookie of this site (W3C Clear Site Data), whatever path set it; not
    // "storage", which would also wipe what the pages keep, such as the JWT client's token.
    res.set("Clear-Site-Data", '"cookies"');
    trace.addSetCookie("destroy_session", "cookie cleared in the browser", sessionCookieName);
    res.status(204).end();
    // #endregion
  };
}

/** `GET /auth/me`: who the cookie belongs to, and the CSRF token again after a page reload. */
function me(deps: AuthDeps): RequestHandler {
  return async (req, res) => {
    // #region me
    const { csrfToken } = req.session;
    if (csrfToken === undefined) throw new Error("requireUser passed a session without a token");
    // Read from the store, as on every request here: the name and role as of now.
    const account = await deps.users.findAccountById(currentUser(res).id);
    if (!account || account.disabled) throw unauthenticated(); // no one left to show
    res.json({ user: publicUser(account), csrfToken } satisfies SessionMeResponse);
    // #endregion
  };
}

// #region csrf-why
// Cross-site request forgery: the browser attaches the sid cookie to every request to this
// site, whichever page made it. SameSite=Lax stops most cross-site requests, but "site" is
// coarse: all ports of 127.0.0.1, and all subdomains of a domain, are one site. So every
// unsafe request that carries a session must also send the session's token in X-CSRF-Token
// (OWASP CSRF Prevention Cheat Sheet, "Synchronizer Token Pattern"): a page on another origin
// can make the browser send the cookie, but it can never read the token.
//
// The JWT backend needs none of this: its proof is an Authorization header that the browser
// never adds by itself. Only the app's own JavaScript holds the token and sets the header, so
// a request forged by another page arrives with no credential at all.
// #endregion

/** Requires the session's CSRF token on every unsafe request (after `requireUser`). */
function requireCsrfToken(_deps: AuthDeps): RequestHandler {
  return (req, res, next) => {
    // #region csrf
    // GET, HEAD and OPTIONS change nothing here, so they need no token.
    if (safeMethods.has(req.method)) return next();
    const expected = req.session.csrfToken;
    if (expected === undefined || !tokensMatch(req.get(csrfHeaderName), expected)) {
      traceOf(res).add("lookup_session", "CSRF token checked", "fail", "missing or wrong");
      throw new HttpError("csrf", `Send this session's token in the ${csrfHeaderName} header.`);
    }
    traceOf(res).add("lookup_session", "CSRF token checked", "ok");
    next();
    // #endregion
  };
}
