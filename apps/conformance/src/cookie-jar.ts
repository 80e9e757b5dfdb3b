/** One cookie as a browser keeps it: enough of RFC 6265 for these tests (name, value, path). */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAtMs: number | undefined;
}

function defaultPath(requestPath: string): string {
  const lastSlash = requestPath.lastIndexOf("/");
  return lastSlash <= 0 ? "/" : requestPath.slice(0, lastSlash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/**
 * A browser's cookie jar for one origin, so the suite sends exactly the cookies a browser
 * would: by path, until they expire or the server clears them. (Cookies ignore ports, and so
 * does this jar: both backends on 127.0.0.1 share it, as they would in a browser.)
 */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores the `Set-Cookie` headers of a response to a request for `requestPath`. */
  store(requestPath: string, setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
      const separator = pair.indexOf("=");
      if (separator <= 0) continue;
      const cookie: StoredCookie = {
        name: pair.slice(0, separator),
        value: pair.slice(separator + 1),
        path: defaultPath(requestPath),
        expiresAtMs: undefined,
      };
      for (const attribute of attributes) {
        const [key = "", value = ""] = attribute.split("=", 2);
        const name = key.toLowerCase();
        if (name === "path" && value.startsWith("/")) cookie.path = value;
        if (name === "max-age") cookie.expiresAtMs = this.now() + Number(value) * 1000;
        if (name === "expires" && cookie.expiresAtMs === undefined)
          cookie.expiresAtMs = Date.parse(value);
      }
      this.cookies = this.cookies.filter(
        (c) => !(c.name === cookie.name && c.path === cookie.path),
      );
      if (cookie.expiresAtMs === undefined || cookie.expiresAtMs > this.now())
        this.cookies.push(cookie);
    }
  }

  /** The `Cookie` header a browser would send with a request for `requestPath`. */
  header(requestPath: string): string | undefined {
    const nowMs = this.now();
    const sent = this.cookies
      .filter(
        (c) =>
          (c.expiresAtMs === undefined || c.expiresAtMs > nowMs) &&
          pathMatches(requestPath, c.path),
      )
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`);
    return sent.length > 0 ? sent.join("; ") : undefined;
  }

  /** The value of one cookie, for attacks that copy or tamper with it. */
  get(name: string): string | undefined {
    return this.cookies.find((c) => c.name === name)?.value;
  }

  set(name: string, value: string, path: string): void {
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
    this.cookies.push({ name, value, path, expiresAtMs: undefined });
  }

  clear(): void {
    this.cookies = [];
  }

  /** A copy that shares nothing with this jar: what survives when a tab is reopened. */
  clone(): CookieJar {
    const copy = new CookieJar(this.now);
    copy.cookies = this.cookies.map((c) => ({ ...c }));
    return copy;
  }
}
