// express-session, configured so that no option is left to a default that is wrong for us. It
// reads the sid cookie, checks its signature, loads the session into `req.session` and, after
// the response, writes it back; auth.ts decides what the session it found means.
import { sessionCookieName } from "@repo/contract";
import { storeUnavailable } from "@repo/shop";
import type { RequestHandler } from "express";
import session, { type Store } from "express-session";
import { sidCookieOptions } from "./cookie-options";
import { forgetSession } from "./session-calls";

// #region session-data
// All a session holds: who logged in, when, the account's logins cut-off the password was
// checked under (login-cutoff.ts), until when at the latest, and the CSRF token. Never a
// password, and no state that changes: express-session saves the whole object at the end of
// every request, so two parallel requests changing it would overwrite each other. The cart
// therefore lives in the store, where each change is one atomic operation.
declare module "express-session" {
  interface SessionData {
    userId: string;
    loggedInAtMs: number;
    loginCutOffMs: number;
    absoluteExpiresAtMs: number;
    csrfToken: string;
  }
}
// #endregion

/** What express-session needs from the auth deps. */
export interface SessionMiddlewareOptions {
  store: Store;
  /** Newest first: the first signs new cookies, all of them are accepted (rotation). */
  secrets: string[];
  idleTimeoutMs: number;
  isProduction: boolean;
}

/** Loads the session a signed sid cookie names; a failing store becomes 503, not 500. */
export function sessionMiddleware(options: SessionMiddlewareOptions): RequestHandler {
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
    // a forgotten tab is logged out after `idleTimeoutMs` (the absolute limit: auth.ts). It costs
    // a Set-Cookie (about 180 bytes and an HMAC) per response, about a tenth of a session cart
    // read's server CPU (26-34 of some 300 µs, in `npm run bench` with this turned off once);
    // renewing it less often would need a second clock in every session.
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
