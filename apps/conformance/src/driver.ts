import type { AuthMode } from "@repo/contract";
import { BrowserLikeClient, type Reply, type SendOptions } from "./http";

/** A copy of whatever proves identity in a mode, as an attacker who stole it would hold it. */
export type StolenCredential = Readonly<Record<string, string | undefined>>;

/**
 * How one mode logs in and proves identity. The flow and the attack table are written once
 * against this interface; the two drivers are the only mode-specific code in the suite.
 */
export interface Driver {
  readonly mode: AuthMode;
  /** `/api/session` or `/api/jwt`; paths given to the driver are relative to it. */
  readonly prefix: string;
  login(username: string, password: string): Promise<Reply>;
  /**
   * Takes the credential a login-shaped answer carries (sign-up, password change), as the web
   * client does; the browser part (a cookie) the client has already kept.
   */
  keep(reply: Reply): void;
  /** A request that proves identity the way this mode's web client does. */
  authed(method: string, path: string, options?: SendOptions): Promise<Reply>;
  /** A request with nothing but what the browser attaches by itself. */
  anonymous(method: string, path: string, options?: SendOptions): Promise<Reply>;
  logout(): Promise<Reply>;
  /** Drops the credential on the client side only; the server is not told. */
  forget(): void;
  /** What an attacker who read the credential off the wire (or out of storage) would hold. */
  steal(): StolenCredential;
  /** The stolen credential with one character changed where the server's signature covers it. */
  tamper(stolen: StolenCredential): StolenCredential;
  /** A request made with a stolen credential from the attacker's own client. */
  replay(
    stolen: StolenCredential,
    method: string,
    path: string,
    options?: SendOptions,
  ): Promise<Reply>;
  /**
   * A request from a page on another site, with whatever the browser attaches to it by itself.
   * (SameSite=Lax already keeps cookies off most cross-site POSTs; this models the rest: a
   * same-site sibling origin, an older browser.)
   */
  crossSite(method: string, path: string, options?: SendOptions): Promise<Reply>;
  /** JWT mode only: a new access token for the refresh cookie, as the client asks for one. */
  refresh?(): Promise<Reply>;
  /** The same user "navigating away and coming back": a new client with only what a browser keeps. */
  reopen(): Promise<Driver>;
}

/** Flips one character in the middle of a string, keeping it the same length and alphabet. */
export function flipCharacter(value: string, index = Math.floor(value.length / 2)): string {
  const char = value[index];
  if (char === undefined) return `${value}x`;
  const replacement = char === "A" ? "B" : "A";
  return value.slice(0, index) + replacement + value.slice(index + 1);
}

/** What both drivers do alike: a browser-like client on one origin, and requests that carry
 * only what the browser attaches by itself. */
export abstract class BrowserDriver {
  abstract readonly prefix: string;

  constructor(
    protected readonly origin: string,
    protected readonly client = new BrowserLikeClient(origin),
  ) {}

  anonymous(method: string, path: string, options: SendOptions = {}): Promise<Reply> {
    return this.client.send(method, `${this.prefix}${path}`, options);
  }

  crossSite(method: string, path: string, options: SendOptions = {}): Promise<Reply> {
    // The browser attaches its cookies; the attacker's page can read neither our CSRF token
    // nor our access token, so it can send nothing else.
    return this.anonymous(method, path, {
      ...options,
      headers: { ...options.headers, origin: "https://attacker.example" },
    });
  }
}
