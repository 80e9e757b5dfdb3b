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
  setCurrentUser,
  traceOf,
} from "@repo/shop";
import type { UserStore } from "@repo/store";
import { parse as parseCookies } from "cookie";
import { unsign } from "cookie-signature";
import { type CookieOptions, type Request, type RequestHandler, Router } from "express";
import session, { type Store } from "express-session";
import { storeUnavailable } from "./session-stores";

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

// #region session-options
/** express-session, configured so that no option is left to a default that is wrong for us. */
function sessionMiddleware(options: SessionAuthOptions): RequestHandler {
  const middleware = session({
    // "sid", not the default "connect.sid", which would tell an attacker what runs here.
    name: sessionCookieName,
    // Signs the cookie (HMAC-SHA256). The id is already 24 random bytes from a CSPRNG, so it
    // cannot be guessed; the signature lets us refuse tampered ids without a store lookup.
    secret: options.secrets,
    store: options.store,
    // No session (and no cookie) until login: anonymous visitors cost no storage, and there is
    // no pre-login id for an attacker to plant.
    saveUninitialized: false,
    // Do not write an unchanged session back on every request; the store's `touch` extends it.
    resave: false,
    // Idle timeout: every response renews the cookie's max age, so an active user stays in and
    // a forgotten tab is logged out after `idleTimeoutMs`. The absolute limit is in `authenticate`.
    rolling: true,
    // Setting `req.session = null` deletes the session from the store, not just from memory.
    unset: "destroy",
    cookie: { ...sidCookieOptions(options.isProduction), maxAge: options.idleTimeoutMs },
  });
  return (req, res, next) => {
    middleware(req, res, (error?: unknown) => {
      if (!error) {
        next();
        return;
      }
      // A save or touch that failed after the response was sent: nobody is left to tell.
      if (res.headersSent) return;
      // The store could not load the session. Answer 503 (express-session would make it a 500),
      // and forget the id: with unset "destroy", express-session would otherwise delete the
      // session at the end of this response, so a passing store hiccup would log the user out.
      forgetSession(req);
      next(storeUnavailable());
    });
  };
}
// #endregion

// #region login
/** `POST /auth/login`: check the password, then start a brand-new session. */
function login(options: SessionAuthOptions): RequestHandler {
  return async (req, res) => {
    const trace = traceOf(res);
    // Body validation, throttling and the password check: the same in both modes (shop).
    const user = await checkCredentials(req, res, options);

    // Session fixation: an id that existed before login (planted by an attacker, or seen by
    // anyone) must not become a logged-in id. regenerate() deletes the old session from the
    // store and gives this one a fresh random id; if the store fails, nobody is logged in.
    await storeCall(req, (done) => req.session.regenerate(done));
    trace.add("store_session", "session id regenerated, any earlier one deleted", "ok");

    const nowMs = Date.now();
    req.session.userId = user.id;
    req.session.loggedInAtMs = nowMs;
    req.session.absoluteExpiresAtMs = nowMs + options.absoluteTimeoutMs;
    // One random token per session, which a cross-site page can never read (see csrf below).
    req.session.csrfToken = randomBytes(32).toString("base64url");
    // Saved before we answer, so a failing store gives 503 instead of a login that is lost.
    await storeCall(req, (done) => req.session.save(done));
    trace.add("store_session", "session saved in the store", "ok", `sid ${describeSid(req)}`);
    trace.add("issue_cookie", "Set-Cookie: sid, signed, HttpOnly, SameSite=Lax", "ok");

    const body: SessionLoginResponse = { user, csrfToken: req.session.csrfToken };
    res.json(body);
  };
}
// #endregion

// #region require-user
/**
 * Runs before every route that needs a user. express-session has already read the cookie,
 * checked its signature and looked the id up in the store; this decides what that means.
 * Only the Cookie header counts: an id in the query string or body is never read, because
 * ids in URLs end up in logs, history and Referer headers.
 */
function authenticate(options: SessionAuthOptions): RequestHandler {
  return async (req, res, next) => {
    const trace = traceOf(res);
    const cookie = inspectSidCookie(req, options.secrets);
    if (cookie.state === "absent") {
      trace.add("send_cookie", "no sid cookie on the request", "fail");
      throw unauthenticated();
    }
    trace.add("send_cookie", "sid cookie read from the Cookie header", "ok", cookie.shortValue);
    if (cookie.state === "forged") {
      // Unsigned, or signed with a key we do not hold: refused before any store lookup.
      trace.add("lookup_session", "signature checked", "fail", "not signed with our secret");
      throw unauthenticated();
    }
    trace.add("lookup_session", "signature checked", "ok", "HMAC-SHA256");

    // Unknown, expired (idle) and logged-out ids all come back as an empty, new session.
    const { userId, absoluteExpiresAtMs, csrfToken } = req.session;
    if (userId === undefined || absoluteExpiresAtMs === undefined || csrfToken === undefined) {
      trace.add("lookup_session", "session looked up in the store", "fail", "no such session");
      throw unauthenticated();
    }
    trace.add("lookup_session", "session looked up in the store", "ok", `sid ${describeSid(req)}`);

    // Absolute lifetime: even a session in constant use ends, so a stolen id expires too.
    if (Date.now() >= absoluteExpiresAtMs) {
      await storeCall(req, (done) => req.session.destroy(done));
      trace.add("lookup_session", "absolute lifetime checked", "fail", "session too old, deleted");
      throw unauthenticated();
    }

    const user = await options.users.findUserById(userId);
    if (!user) {
      // The account is gone: so is every session it had.
      await storeCall(req, (done) => req.session.destroy(done));
      trace.add("lookup_session", "user loaded", "fail", "account no longer exists");
      throw unauthenticated();
    }
    trace.add("lookup_session", "user loaded", "ok", `user ${user.username}`);
    setCurrentUser(res, user);
    next();
  };
}

function unauthenticated(): HttpError {
  return new HttpError("unauthenticated", "Log in first: no valid session.");
}
// #endregion

// #region origin-check
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses unsafe requests that a browser says come from another origin. Browsers put `Origin`
 * on every POST, PUT, PATCH and DELETE and a page cannot forge it. Our own origin is what the
 * browser addressed, i.e. the Host header: through the web app's dev proxy (Vite with
 * `changeOrigin: false`) that is still the browser's http://127.0.0.1:5173. A proxy that
 * rewrites Host needs its public origin in CSRF_TRUSTED_ORIGINS (or X-Forwarded-Host and
 * TRUST_PROXY). No Origin at all means no browser (curl, tests): such a client cannot ride
 * someone else's cookie, and the CSRF token below is still required.
 */
function rejectForeignOrigin(options: SessionAuthOptions): RequestHandler {
  return (req, res, next) => {
    const origin = req.get("origin");
    if (safeMethods.has(req.method) || origin === undefined) {
      next();
      return;
    }
    // req.protocol and req.host follow X-Forwarded-* only when TRUST_PROXY is set.
    const ownOrigin = `${req.protocol}://${req.host}`;
    if (origin !== ownOrigin && !options.trustedOrigins.includes(origin)) {
      traceOf(res).add("lookup_session", "Origin checked", "fail", `foreign origin ${origin}`);
      throw new HttpError("csrf", "This request came from another site.");
    }
    next();
  };
}
// #endregion

// #region csrf
/**
 * Cross-site request forgery: the browser attaches the `sid` cookie to every request to this
 * site, whichever page made it. SameSite=Lax stops most cross-site requests, but "site" is
 * coarse: every port of 127.0.0.1 and every subdomain of a domain are one site. So every unsafe
 * request that carries a session must also send the session's token in `X-CSRF-Token`
 * (OWASP CSRF Cheat Sheet, "Synchronizer Token Pattern"): a page on another origin can make
 * the browser send the cookie, but it can never read the token.
 *
 * The JWT backend needs none of this: its proof is an `Authorization` header that the browser
 * never adds by itself. Only the app's own JavaScript holds the token and sets the header, so a
 * forged request from another page arrives without any credential.
 */
function requireCsrfToken(): RequestHandler {
  return (req, res, next) => {
    if (safeMethods.has(req.method)) {
      next();
      return;
    }
    const expected = req.session.csrfToken;
    if (expected === undefined || !tokensMatch(req.get(csrfHeaderName), expected)) {
      traceOf(res).add("lookup_session", "CSRF token checked", "fail", "missing or wrong");
      throw new HttpError("csrf", `Send this session's token in the ${csrfHeaderName} header.`);
    }
    traceOf(res).add("lookup_session", "CSRF token checked", "ok");
    next();
  };
}

/** Constant-time comparison, so response times say nothing about how much of a guess matched. */
function tokensMatch(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const sentBytes = Buffer.from(sent);
  const expectedBytes = Buffer.from(expected);
  // timingSafeEqual needs equal lengths; the length of a random token is no secret.
  return sentBytes.length === expectedBytes.length && timingSafeEqual(sentBytes, expectedBytes);
}
// #endregion

// #region logout
/** `POST /auth/logout` (never GET: a link or an image must not log anyone out). */
function logout(options: SessionAuthOptions): RequestHandler {
  return async (req, res) => {
    const trace = traceOf(res);
    const sid = describeSid(req);
    // Deleted in the store, so the id is dead everywhere, even if someone copied the cookie.
    await storeCall(req, (done) => req.session.destroy(done));
    trace.add("destroy_session", "session deleted from the store", "ok", `sid ${sid}`);
    // Same name and attributes as when it was set, or the browser would keep the old cookie.
    const clearOptions: CookieOptions = {
      ...sidCookieOptions(options.isProduction),
      secure: options.isProduction || req.secure,
    };
    res.clearCookie(sessionCookieName, clearOptions);
    trace.add("destroy_session", "cookie cleared in the browser", "ok");
    res.status(204).end();
  };
}
// #endregion

// #region me
/** `GET /auth/me`: who the cookie belongs to, and the CSRF token again after a page reload. */
function me(): RequestHandler {
  return (req, res) => {
    const { csrfToken } = req.session;
    if (csrfToken === undefined) throw new Error("authenticate() passed a session without a token");
    const body: SessionMeResponse = { user: currentUser(res), csrfToken };
    res.json(body);
  };
}
// #endregion

// #region routes
/** The auth routes and the `requireUser` chain the shared cart routes run behind. */
export function sessionAuth(options: SessionAuthOptions) {
  const loadSession = sessionMiddleware(options);
  const checkOrigin = rejectForeignOrigin(options);
  // Order matters: a foreign origin is refused before any store lookup; the CSRF token can
  // only be checked once the session that holds it is loaded.
  const requireUser = [checkOrigin, loadSession, authenticate(options), requireCsrfToken()];

  const router = Router();
  // Login needs no CSRF token (no session holds one yet); the Origin check and the JSON-only
  // body stop another site from logging a visitor into the attacker's account.
  router.post("/login", checkOrigin, loadSession, login(options));
  router.post("/logout", ...requireUser, logout(options));
  router.get("/me", ...requireUser, me());
  return { router, requireUser };
}
// #endregion

// The cookie as sent, before express-session decides, so the trace can say what was wrong.
function inspectSidCookie(
  req: Request,
  secrets: string[],
): { state: "absent" } | { state: "forged" | "signed"; shortValue: string } {
  const raw = parseCookies(req.headers.cookie ?? "")[sessionCookieName];
  if (!raw) return { state: "absent" };
  const shortValue = shortenSecret(raw, 8);
  const signed = raw.startsWith("s:") && secrets.some((secret) => unsign(raw.slice(2), secret));
  return { state: signed ? "signed" : "forged", shortValue };
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
