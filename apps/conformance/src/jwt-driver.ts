import { apiPrefix } from "@repo/contract";
import { BrowserDriver, type Driver, flipCharacter, type StolenCredential } from "./driver";
import { BrowserLikeClient, type Reply, type SendOptions } from "./http";

/** JWT mode: the page's script keeps the access token and puts it in every request itself. */
export class JwtDriver extends BrowserDriver implements Driver {
  readonly mode = "jwt";
  readonly prefix = apiPrefix.jwt;
  private accessToken: string | undefined;

  async login(username: string, password: string): Promise<Reply> {
    const reply = await this.client.send("POST", `${this.prefix}/auth/login`, {
      body: { username, password },
    });
    this.keep(reply);
    return reply;
  }

  keep(reply: Reply): void {
    if (reply.status === 200 || reply.status === 201) {
      this.accessToken = (reply.body as { accessToken: string }).accessToken;
    }
  }

  async refresh(): Promise<Reply> {
    // The refresh cookie goes by itself (Path=/api/jwt/auth); the new token replaces the old.
    const reply = await this.client.send("POST", `${this.prefix}/auth/refresh`);
    if (reply.status === 200)
      this.accessToken = (reply.body as { accessToken: string }).accessToken;
    return reply;
  }

  authed(method: string, path: string, options: SendOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    return this.client.send(method, `${this.prefix}${path}`, { ...options, headers });
  }

  async logout(): Promise<Reply> {
    const reply = await this.authed("POST", "/auth/logout");
    this.accessToken = undefined; // the server keeps no copy to destroy: the client drops it
    return reply;
  }

  forget(): void {
    this.client.jar.clear();
    this.accessToken = undefined;
  }

  steal(): StolenCredential {
    return { accessToken: this.accessToken };
  }

  tamper(stolen: StolenCredential): StolenCredential {
    // Change the payload (the middle part) and keep the signature: it no longer matches.
    const [header = "", payload = "", signature = ""] = (stolen.accessToken ?? "").split(".");
    return { accessToken: [header, flipCharacter(payload), signature].join(".") };
  }

  replay(stolen: StolenCredential, method: string, path: string, options: SendOptions = {}) {
    const attacker = new BrowserLikeClient(this.origin);
    const headers: Record<string, string> = { ...options.headers };
    if (stolen.accessToken) headers.authorization = `Bearer ${stolen.accessToken}`;
    return attacker.send(method, `${this.prefix}${path}`, { ...options, headers });
  }

  async reopen(): Promise<Driver> {
    // The token was kept in storage, so the new page still has it (and the refresh cookie).
    const again = new JwtDriver(
      this.origin,
      new BrowserLikeClient(this.origin, this.client.jar.clone()),
    );
    again.accessToken = this.accessToken;
    return again;
  }
}
