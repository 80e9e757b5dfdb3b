// The sid cookie's attributes in one place: express-session sets the cookie with them, and
// logout clears it with the same ones (a browser replaces a cookie only of the same name, path
// and domain, so a cookie cleared with other attributes would stay).
import { apiPrefix } from "@repo/contract";
import type { CookieOptions } from "express-session";

// #region cookie-options
/** The `sid` cookie's attributes; logout clears it with exactly the same ones. */
export function sidCookieOptions(isProduction: boolean) {
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
  } satisfies CookieOptions;
}
// #endregion
