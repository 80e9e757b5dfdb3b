// Reading the access token off a request: `Authorization: Bearer <token>`, and nowhere else.
import { HttpError, type Trace } from "@repo/shop";
import type { Request } from "express";

/** 401 for a request without credentials: RFC 6750 §3.1's challenge, without an error code. */
const missingToken = () =>
  new HttpError(
    "unauthenticated",
    "Send an access token: Authorization: Bearer <token>.",
    undefined,
    { "WWW-Authenticate": "Bearer" },
  );

// #region bearer-header
/** RFC 6750 §2.1: `Bearer` (any case), one space, then the token's base64url characters. */
const bearerPattern = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
/** The token in `Authorization: Bearer <token>`; a request without one gets the challenge. */
export function readBearerToken(req: Request, trace: Trace): string {
  // Only the header counts: a token in a query string ends up in logs and Referer headers, and
  // one in a cookie would bring CSRF back (OWASP JWT, "Token Sidejacking" and storage advice).
  const token = bearerPattern.exec(authorizationHeader(req, trace))?.[1];
  if (!token) {
    trace.add("send_header", "Authorization header read", "fail", "no Bearer token");
    throw missingToken();
  }
  const length = () => `${token.length} characters`; // a function: built only for a sent trace
  trace.add("send_header", "Authorization: Bearer header parsed", "ok", length);
  return token;
}
// #endregion

// #region bearer-repeated
/**
 * The Authorization header, or "" without one. Two are refused (RFC 6750 §3.1, `invalid_request`):
 * Node keeps only the first, while a proxy or a log in front may read the last, so the request
 * the app authorises would not be the one that was checked. `req.headers` has already dropped
 * the copy, so count the raw header lines.
 */
function authorizationHeader(req: Request, trace: Trace): string {
  const names = req.rawHeaders.filter((_, index) => index % 2 === 0);
  const count = names.filter((name) => name.toLowerCase() === "authorization").length;
  if (count <= 1) return req.get("authorization") ?? "";
  trace.add("send_header", "Authorization header read", "fail", "sent more than once");
  throw new HttpError("invalid_request", "Send one Authorization header.", undefined, {
    "WWW-Authenticate": 'Bearer error="invalid_request"',
  });
}
// #endregion
