import { apiPrefix, csrfHeaderName, sessionCookieName } from "@repo/contract";
import { BrowserDriver, type Driver, flipCharacter, type StolenCredential } from "./driver";
import { BrowserLikeClient, type Reply, type SendOptions } from "./http";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Session mode: the browser keeps an HttpOnly `sid` cookie; scripts keep the CSRF token. */
export class SessionDriver extends BrowserDriver implements Driver {
  readonly mode = "session";
  readonly prefix = apiPrefix.session;
  private csrfToken: string | undefined;

  async login(username: string, password: string): Promise<Reply> {
    const reply = await this.client.send("POST", `${this.prefix}/auth/login`, {
      body: { username, password },
    });
    this.keep(reply);
    return reply;
  }

  keep(reply: Reply): void {
    if (reply.status === 200 || reply.status === 201) {
      this.csrfToken = (reply.body as { csrfToken: string }).csrfToken;
    }
  }

  authed(method: string, path: string, options: SendOptions = {}): Promise<Reply> {
    // The cookie goes by itself; the CSRF token must be added by the page's own script.
    const headers: Record<string, string> = { ...options.headers };
    if (unsafeMethods.has(method) && this.csrfToken) headers[csrfHeaderName] = this.csrfToken;
    return this.client.send(method, `${this.prefix}${path}`, { ...options, headers });
  }

  async logout(): Promise<Reply> {
    const reply = await this.authed("POST", "/auth/logout");
    this.csrfToken = undefined;
    return reply;
  }

  forget(): void {
    this.client.jar.clear();
    this.csrfToken = undefined;
  }

  steal(): StolenCredential {
    return { cookie: this.client.jar.get(sessionCookieName), csrfToken: this.csrfToken };
  }

  tamper(stolen: StolenCredential): StolenCredential {
    // The cookie is `s:<id>.<signature>`, URL-encoded; changing the id breaks the signature.
    const cookie = stolen.cookie ?? "";
    return { ...stolen, cookie: flipCharacter(cookie, Math.min(8, cookie.length - 1)) };
  }

  replay(stolen: StolenCredential, method: string, path: string, options: SendOptions = {}) {
    const attacker = new BrowserLikeClient(this.origin);
    const headers: Record<string, string> = { ...options.headers };
    if (stolen.cookie) headers.cookie = `${sessionCookieName}=${stolen.cookie}`;
    if (unsafeMethods.has(method) && stolen.csrfToken) headers[csrfHeaderName] = stolen.csrfToken;
    return attacker.send(method, `${this.prefix}${path}`, { ...options, headers });
  }

  async reopen(): Promise<Driver> {
    // A new page keeps the cookie jar, not the script's memory: it asks /auth/me for the token.
    const again = new SessionDriver(
      this.origin,
      new BrowserLikeClient(this.origin, this.client.jar.clone()),
    );
    const me = await again.anonymous("GET", "/auth/me");
    if (me.status === 200) again.csrfToken = (me.body as { csrfToken: string }).csrfToken;
    return again;
  }
}
