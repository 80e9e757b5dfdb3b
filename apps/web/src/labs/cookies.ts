// Cookies this page writes itself. JavaScript can neither read nor overwrite an HttpOnly
// cookie, but it can add a cookie of the same name for a longer path: the browser then sends
// both, the one with the longer path first (RFC 6265, section 5.4), and the servers here read
// the first. That is how a lab sends a value of its choosing where the real cookie would go.

// #region plant-cookie
/** Sets a cookie for `path` only, for this page's host. */
export function plantCookie(name: string, value: string, path: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the lab shows what a page's own script can set.
  document.cookie = `${name}=${value}; Path=${path}; SameSite=Strict`;
}
// #endregion

/** Deletes the cookie `plantCookie` set for `path`. */
export function removeCookie(name: string, path: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: undoes plantCookie, the same way.
  document.cookie = `${name}=; Path=${path}; Max-Age=0; SameSite=Strict`;
}

/** Runs `body` with the cookie planted, and removes it afterwards whatever happens. */
export async function withPlantedCookie<T>(
  cookie: { name: string; value: string; path: string },
  body: () => Promise<T>,
): Promise<T> {
  plantCookie(cookie.name, cookie.value, cookie.path);
  try {
    return await body();
  } finally {
    removeCookie(cookie.name, cookie.path);
  }
}
