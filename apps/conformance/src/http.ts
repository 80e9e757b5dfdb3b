import { type ErrorCode, errorBodySchema } from "@repo/contract";
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

/**
 * The error code of a reply whose body is the contract's error shape, else undefined. An error
 * reply in any other shape (an HTML page, an unknown code, no message) then shows as a bare
 * status, which matches no expected outcome, so its row reads visibly wrong.
 */
export function errorCode(reply: Reply): ErrorCode | undefined {
  const parsed = errorBodySchema.safeParse(reply.body);
  return parsed.success ? parsed.data.error.code : undefined;
}
