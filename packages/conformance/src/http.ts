import { CookieJar } from "./cookie-jar";

/** What the suite looks at in a response. */
export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface SendOptions {
  body?: unknown;
  /** A raw body string sent as is, for malformed JSON and odd content types. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * A browser-like HTTP client for one origin: real sockets, a cookie jar, and the `Origin`
 * header browsers put on unsafe requests. No supertest shortcut: status codes, cookies and
 * headers are exactly what a browser would see.
 */
export class BrowserLikeClient {
  constructor(
    readonly origin: string,
    readonly jar: CookieJar = new CookieJar(),
  ) {}

  async send(method: string, path: string, options: SendOptions = {}): Promise<Reply> {
    const headers = new Headers(options.headers);
    const cookie = this.jar.header(path);
    if (cookie && !headers.has("cookie")) headers.set("cookie", cookie);
    const unsafe = !["GET", "HEAD", "OPTIONS"].includes(method);
    if (unsafe && !headers.has("origin")) headers.set("origin", this.origin);
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: "manual",
    });
    this.jar.store(path, response.headers.getSetCookie());
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get("content-type")?.startsWith("application/json"))
      parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed };
  }
}

/** The error code of an error reply, or undefined for any other body. */
export function errorCode(reply: Reply): string | undefined {
  const body = reply.body as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === "string" ? body.error.code : undefined;
}
