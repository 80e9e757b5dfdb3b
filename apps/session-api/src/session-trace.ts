// What a request without a session is told, and what the trace (the web app's workflow panel)
// says about it. The answer is always the same 401: only the trace tells the reasons apart.
import { sessionCookieName, shortenSecret } from "@repo/contract";
import { HttpError, type Trace } from "@repo/shop";
import { parse as parseCookies } from "cookie";
import { unsign } from "cookie-signature";
import type { Request } from "express";

/** The one answer for every request without a valid session, whatever the reason. */
export function unauthenticated(): HttpError {
  return new HttpError("unauthenticated", "Log in first: no valid session.");
}

/** The session id as traces show it: a prefix, never the whole id, which is a credential. */
export function describeSid(req: Request): string {
  return shortenSecret(req.sessionID);
}

// #region no-session
/** Only when no session was found: reads the cookie as sent, so the trace can say why. */
export function noSession(req: Request, secrets: string[], trace: Trace): HttpError {
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
