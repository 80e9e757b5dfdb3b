// The refresh token's mechanics: a random value stored only as a hash, carried in a cookie that
// scripts cannot read and only the auth routes receive.
import { createHash, randomBytes } from "node:crypto";
import { apiPrefix, refreshCookieName } from "@repo/contract";
import { HttpError, secureCookie, traceOf } from "@repo/shop";
import type { CookieOptions, Request, Response } from "express";

/** What the cookie needs to know: whether it must be Secure, and the clock for its max age. */
interface RefreshCookieSettings {
  isProduction: boolean;
  now: () => number;
}

// #region refresh-token
/** Only a hash is stored: a leaked table holds no usable token. The token is 256 random bits,
 * so a fast hash suffices; slow hashing is for passwords, which people choose. */
export const hashRefreshToken = (token: string) =>
  createHash("sha256").update(token).digest("base64url");

/** A new refresh token and its record: it dies unused after `refreshTokenTtlSeconds`, and its
 * login (family) ends `refreshAbsoluteTimeoutSeconds` after login, however often it rotates. */
export function newRefreshToken(deps: RefreshLifetimes) {
  const token = randomBytes(32).toString("base64url");
  const issuedAtMs = deps.now();
  const expiresAtMs = issuedAtMs + deps.refreshTokenTtlSeconds * 1000;
  const familyExpiresAtMs = issuedAtMs + deps.refreshAbsoluteTimeoutSeconds * 1000;
  const record = { tokenHash: hashRefreshToken(token), issuedAtMs, expiresAtMs, familyExpiresAtMs };
  return { token, record };
}
// #endregion

/** How long a refresh token lives unused, and how long its login lives at the most. */
interface RefreshLifetimes {
  now: () => number;
  refreshTokenTtlSeconds: number;
  refreshAbsoluteTimeoutSeconds: number;
}

// #region refresh-cookie
/** HttpOnly: no script can read it (XSS). SameSite=Strict: no other site's request carries it.
 * Path: the browser sends it to every auth route (login and me get it too, and ignore it), and
 * never to the cart routes, so they can never be fooled by it. */
function refreshCookieOptions(res: Response, isProduction: boolean): CookieOptions {
  return {
    httpOnly: true,
    sameSite: "strict",
    secure: secureCookie(res.req, isProduction), // HTTPS only, but for http://127.0.0.1 in dev
    path: `${apiPrefix.jwt}/auth`,
  };
}
// #endregion

// #region refresh-cookie-set
/** Sets the cookie to last exactly as long as the token in it, `expiresAtMs`. */
export function setRefreshCookie(
  res: Response,
  token: string,
  expiresAtMs: number,
  deps: RefreshCookieSettings,
): void {
  res.cookie(refreshCookieName, token, {
    ...refreshCookieOptions(res, deps.isProduction),
    maxAge: expiresAtMs - deps.now(),
  });
  const action = "refresh token set in an HttpOnly cookie";
  traceOf(res).addSetCookie("return_token", action, refreshCookieName);
}
// #endregion

// #region refresh-cookie-clear
/** Cleared with the same attributes it was set with, or the browser keeps it. */
export function clearRefreshCookie(
  res: Response,
  deps: { isProduction: boolean },
  step: RefreshStep = "clear_token",
): void {
  res.clearCookie(refreshCookieName, refreshCookieOptions(res, deps.isProduction));
  traceOf(res).addSetCookie(step, "refresh cookie cleared", refreshCookieName);
}
// #endregion

// #region refresh-cookie-read
/** 32 random bytes, base64url: 43 characters that are the whole credential. */
const refreshTokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** cookie-parser turns `j:{...}` values into objects, so check that it is one of our tokens. */
export function readRefreshCookie(req: Request): string | undefined {
  const value: unknown = req.cookies?.[refreshCookieName];
  return typeof value === "string" && refreshTokenPattern.test(value) ? value : undefined;
}
// #endregion

/** The workflow steps a refresh token takes part in: handed out with the access token, and
 * ended at logout. Checking one is not verifying a signature: it is an opaque value looked up. */
type RefreshStep = "return_token" | "clear_token";

/** The refusal for any refresh token we cannot honour; the cookie goes with it. */
export function refuseRefresh(
  res: Response,
  deps: { isProduction: boolean },
  why: string,
  step: RefreshStep = "return_token",
): never {
  traceOf(res).add(step, "refresh token checked", "fail", why);
  clearRefreshCookie(res, deps, step);
  throw new HttpError("unauthenticated", "Log in again.");
}
