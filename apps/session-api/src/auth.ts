// How a request proves who it is, the stateful way: the server keeps a session in its store and
// hands the browser only a random id for it, in a signed cookie. Everything else (body parsing,
// password checks, throttling, the cart) is shared with the JWT backend and lives in `shop`.
import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  apiPrefix,
  csrfHeaderName,
  type SessionLoginResponse,
  type SessionMeResponse,
  sessionCookieName,
  shortenSecret,
} from "@repo/contract";
import {
  checkCredentials,
  currentUser,
  HttpError,
  type LoginThrottle,
  rejectForeignOrigin,
  secureCookie,
  setCurrentUser,
  storeUnavailable,
  type Trace,
  traceOf,
} from "@repo/shop";
import type { UserStore } from "@repo/store";
import { parse as parseCookies } from "cookie";
import { unsign } from "cookie-signature";
import { type Request, type RequestHandler, Router } from "express";
import session, { type Store } from "express-session";

// #region session-data
// All a session holds: who logged in, when, until when at the latest, and the CSRF token.
// Never a password, and no state that changes: express-session saves the whole object at the
// end of every request, so two parallel requests changing it would overwrite each other. The
// cart therefore lives in the store, where each change is one atomic operation.
declare module "express-session" {
  interface SessionData {
    userId: string;
    loggedInAtMs: number;
    absoluteExpiresAtMs: number;
    csrfToken: string;
  }
}
// #endregion

export interface SessionAuthOptions {
  users: UserStore;
  throttle: LoginThrottle;
  store: Store;
  /** Newest first: the first signs new cookies, all of them are accepted (rotation). */
  secrets: string[];
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  isProduction: boolean;
  /** Origins besides the server's own that may send unsafe requests. */
  trustedOrigins: string[];
}

// #region cookie-options
/** The `sid` cookie's attributes; logout clears it with exactly the same ones. */
function sidCookieOptions(isProduction: boolean) {
  return {
    // JavaScript cannot read the cookie, so an XSS bug cannot steal the session id.
    httpOnly: true,
    // Not sent on cross-site subrequests (forms, fetch, images): the first line against CSRF.
    sameSite: "lax",
    // Sent only to this backend, never to /api/jwt or the web app's own pages.
    path: apiPrefix.session,
    // Only over HTTPS: always in production; in development when the request came over HTTPS
    // (directly, or through a proxy trusted with TRUST_PROXY), so http://127.0.0.1 still works.
    secure: isProduction ? true : ("auto" as const),
  } satisfies session.CookieOptions;
}
// #endregion

/** express-session, configured so that no option is left to a default that is wrong for us. */
function sessionMiddleware(options: SessionAuthOptions): RequestHandler {
  const middleware = session({
    // #region session-options
    // "sid", not the default "connect.sid", which would tell an attacker what runs here.
    name: sessionCookieName,
    // Signs the cookie (HMAC-SHA256). The id itself is 24 random bytes from a CSPRNG, so it
    // cannot be guessed; the signature refuses tampered ids before any store lookup.
    secret: options.secrets,
    store: options.store,
    // No session (and no cookie) before login: anonymous visitors cost no storage, and there
    // is no pre-login id for an attacker to plant.
    saveUninitialized: false,
    // An unchanged session is not written back; the store's `touch` only extends its expiry.
    resave: false,
    // #endregion
    // #region session-expiry
    // Idle timeout: every response renews the cookie's max age, so an active user stays in and
    // a forgotten tab is logged out after `idleTimeoutMs` (the absolute limit: require-user).
    rolling: true,
    cookie: { ...sidCookieOptions(options.isProduction), maxAge: options.idleTimeoutMs },
    // `req.session = null` deletes the session from the store, not just from this request.
    unset: "destroy",
    // #endregion
  });
  // #region store-errors
  return (req, res, next) => {
    middleware(req, res, (error?: unknown) => {
      if (!error) return next();
      // A save or touch that failed after the response was sent: nobody is left to tell.
      if (res.headersSent) return;
      // The store could not load the session: 503, where express-session would give a 500.
      // Forget the id too: with unset "destroy", express-session would otherwise delete the
      // session at the end of this response, and a passing store hiccup would log users out.
      forgetSession(req);
      next(storeUnavailable());
    });
  };
  // #endregion
}

/** `POST /auth/login`: check the password, then start a brand-new session. */
function login(options: SessionAuthOptions): RequestHandler {
  return async (req, res) => {
    const trace = traceOf(res);
    // #region login
    // Body validation, throttling and the password check: the same in both modes (shop).
    const user = await checkCredentials(req, res, options);
    // Session fixation: an id that existed before login (planted by an attacker, or seen by
    // anyone) must never become a logged-in id. regenerate() deletes the old session from the
    // store and gives this request a fresh random id; if the store fails, nobody logs in.
    await storeCall(req, (done) => req.session.regenerate(done));
    trace.add("store_session", "session id regenerated, any earlier one deleted", "ok");
    // #endregion
    // #region login-session
    const nowMs = Date.now();
    req.session.userId = user.id;
    req.session.loggedInAtMs = nowMs;
    req.session.absoluteExpiresAtMs = nowMs + options.absoluteTimeoutMs;
    // One random token per session, which a page on another site can never read (see csrf).
    req.session.csrfToken = randomBytes(32).toString("base64url");
    // Saved before we answer, so a failing store gives 503, not a lost login. (express-session
    // writes it once more after the response, a quirk after regenerate(): one extra write.)
    await storeCall(req, (done) => req.session.save(done));
    trace.add("store_session", "session saved in the store", "ok", `sid ${describeSid(req)}`);
    // express-session sends Set-Cookie with the response: `s:<id>.<signature>`, nothing more.
    trace.add("issue_cookie", "Set-Cookie: sid, signed, HttpOnly, SameSite=Lax", "ok");
    const body: SessionLoginResponse = { user, csrfToken: req.session.csrfToken };
    res.json(body);
    // #endregion
  };
}

/**
 * Runs before every route that needs a user. express-session has already read the cookie,
 * checked its signature and looked the id up in the store; this decides what that means.
 */
function authenticate(options: SessionAuthOptions): RequestHandler {
  return async (req, res, next) => {
    const trace = traceOf(res);
    // #region require-user
    // express-session only asks the store about a cookie that carries our signature, so a
    // session found here proves the signature: no need to check it twice. Unknown, expired and
    // logged-out ids all come back as an empty, new session.
    const { userId, absoluteExpiresAtMs, csrfToken } = req.session;
    if (userId === undefined || absoluteExpiresAtMs === undefined || csrfToken === undefined) {
      throw noSession(req, options.secrets, trace);
    }
    const cookie = shortenSecret(`s:${req.sessionID}`, 8); // the start of the cookie as sent
    trace.add("send_cookie", "sid cookie read from the Cookie header", "ok", cookie);
    trace.add("lookup_session", "signature checked", "ok", "HMAC-SHA256");
    trace.add("lookup_session", "session looked up in the store", "ok", `sid ${describeSid(req)}`);
    // #endregion
    // #region absolute-lifetime
    // Absolute lifetime: even a session in constant use ends, so a stolen id expires too.
    if (Date.now() >= absoluteExpiresAtMs) {
      await storeCall(req, (done) => req.session.destroy(done));
      trace.add("lookup_session", "absolute lifetime checked", "fail", "too old, deleted");
      throw unauthenticated();
    }
    // #endregion
    // #region load-user
    const user = await options.users.findUserById(userId);
    if (!user) {
      // The account was deleted: its session dies with it.
      await storeCall(req, (done) => req.session.destroy(done));
      trace.add("lookup_session", "user loaded", "fail", "account no longer exists");
      throw unauthenticated();
    }
    trace.add("lookup_session", "user loaded", "ok", `user ${user.username}`);
    setCurrentUser(res, user);
    next();
    // #endregion
  };
}

function unauthenticated(): HttpError {
  return new HttpError("unauthenticated", "Log in first: no valid session.");
}

// #region no-session
/** Only when no session was found: reads the cookie as sent, so the trace can say why. */
function noSession(req: Request, secrets: string[], trace: Trace): HttpError {
  // Only the Cookie header counts: an id in a query string or a body is never read, since
  // ids in URLs end up in logs, browser history and Referer headers.
  const raw = parseCookies(req.headers.cookie ?? "")[sessionCookieName];
  if (!raw) {
    trace.add("send_cookie", "no sid cookie on the request", "fail");
    return unauthenticated();
  }
  trace.add("send_cookie", "sid cookie read from the Cookie header", "ok", shortenSecret(raw, 8));
  // #endregion
  // #region no-session-signature
  if (!raw.startsWith("s:") || !secrets.some((secret) => unsign(raw.slice(2), secret))) {
    // Unsigned, or signed with a key we do not hold: express-session never asked the store.
    trace.add("lookup_session", "signature checked", "fail", "not signed with our secret");
    return unauthenticated();
  }
  trace.add("lookup_session", "signature checked", "ok", "HMAC-SHA256");
  trace.add("lookup_session", "session looked up in the store", "fail", "no such session");
  return unauthenticated();
  // #endregion
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

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

/** Requires the session's CSRF token on every unsafe request (after `authenticate`). */
function requireCsrfToken(): RequestHandler {
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

// #region csrf-compare
/** Constant-time comparison, so response times say nothing about how much of a guess matched. */
function tokensMatch(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const sentBytes = Buffer.from(sent);
  const expectedBytes = Buffer.from(expected);
  // timingSafeEqual needs equal lengths; the length of a random token is no secret.
  return sentBytes.length === expectedBytes.length && timingSafeEqual(sentBytes, expectedBytes);
}
// #endregion

/** `POST /auth/logout`, never GET: a link or an image must not be able to log anyone out. */
function logout(options: SessionAuthOptions): RequestHandler {
  return async (req, res) => {
    const trace = traceOf(res);
    // #region logout
    const sid = describeSid(req);
    // Deleted in the store, so the id is dead everywhere, even where the cookie was copied.
    await storeCall(req, (done) => req.session.destroy(done));
    trace.add("destroy_session", "session deleted from the store", "ok", `sid ${sid}`);
    // Same name, path and flags as when it was set, or the browser would keep the old cookie.
    const secure = secureCookie(req, options.isProduction);
    res.clearCookie(sessionCookieName, { ...sidCookieOptions(options.isProduction), secure });
    trace.add("destroy_session", "cookie cleared in the browser", "ok");
    res.status(204).end();
    // #endregion
  };
}

/** `GET /auth/me`: who the cookie belongs to, and the CSRF token again after a page reload. */
function me(): RequestHandler {
  return (req, res) => {
    // #region me
    const { csrfToken } = req.session;
    if (csrfToken === undefined) throw new Error("authenticate() passed a session without a token");
    const body: SessionMeResponse = { user: currentUser(res), csrfToken };
    res.json(body);
    // #endregion
  };
}

/** The auth routes, and the `requireUser` chain that the shared cart routes run behind. */
export function sessionAuth(options: SessionAuthOptions) {
  // #region routes
  const loadSession = sessionMiddleware(options);
  const { trustedOrigins } = options; // a write from another site's page is refused first
  const checkOrigin = rejectForeignOrigin({ trustedOrigins, traceStep: "lookup_session" });
  // Order matters: a foreign origin is refused before any store lookup, and the CSRF token
  // can only be checked once the session that holds it is loaded.
  const requireUser = [checkOrigin, loadSession, authenticate(options), requireCsrfToken()];
  const router = Router();
  // Login needs no CSRF token (no session holds one yet); the Origin check and the JSON-only
  // body stop another site from logging a visitor in to the attacker's account.
  router.post("/login", checkOrigin, loadSession, login(options));
  router.post("/logout", ...requireUser, logout(options));
  router.get("/me", ...requireUser, me());
  return { router, requireUser };
  // #endregion
}

function describeSid(req: Request): string {
  return shortenSecret(req.sessionID);
}

/**
 * Runs one of express-session's callback methods (regenerate, save, destroy) as a promise.
 * If the store fails, the request forgets its session (no cookie, no write at the end) and
 * gets 503 `store_unavailable`: never a 500, and never a cookie for a session that may not exist.
 */
function storeCall(req: Request, run: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    run((error) => {
      if (!error) {
        resolve();
        return;
      }
      forgetSession(req);
      reject(storeUnavailable());
    });
  });
}

/** Drops this request's session and id, so express-session neither sends a cookie nor writes. */
function forgetSession(req: Request): void {
  Reflect.deleteProperty(req, "session");
  Reflect.deleteProperty(req, "sessionID");
}
