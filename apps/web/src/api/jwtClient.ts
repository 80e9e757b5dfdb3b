import {
  apiPrefix,
  type JwtDemoState,
  type JwtLoginResponse,
  refreshCookieName,
  shortenSecret,
  type User,
} from "@repo/contract";
import {
  type ApiClient,
  ApiError,
  adminRoutes,
  type ClientDeps,
  type Identity,
  type Outgoing,
  shopRoutes,
  type Unsigned,
} from "./client";
import * as responses from "./responses";
import type { Shape } from "./shapes";
import { TokenStore } from "./tokenStore";
import { Transport } from "./transport";

const refreshIdentity: Identity = {
  kind: "refresh-cookie",
  text: `${refreshCookieName} cookie sent automatically (HttpOnly, Path=${apiPrefix.jwt}/auth)`,
};
const refreshLockName = "session-vs-jwt.jwt-refresh";

/** Every token starts with the same header (`eyJhbGciOi…`); its signature tells two apart. */
function bearerLabel(token: string): string {
  const signature = token.split(".")[2] ?? token;
  return `Bearer token, signature ${shortenSecret(signature, 8)}`;
}

/**
 * JWT mode: the client carries the access token itself, in `Authorization: Bearer`. When the
 * server says `token_expired`, it asks for a new one once (the refresh cookie goes by itself)
 * and retries once; a second failure ends the login instead of looping.
 */
export function createJwtClient(deps: ClientDeps & { tokenStore?: TokenStore } = {}): ApiClient {
  const transport = new Transport("jwt", deps);
  const tokens = deps.tokenStore ?? new TokenStore("memory");
  let refreshing: Promise<User | null> | null = null;

  function keep(answer: JwtLoginResponse): User {
    tokens.set(answer.accessToken);
    deps.onClientStep?.("store_token");
    // The user as signed into this token: its role claim is what the staff routes will trust.
    deps.onUser?.(answer.user);
    return answer.user;
  }

  function clear(): void {
    tokens.set(null);
    deps.onClientStep?.("clear_token");
  }

  /** Sends once with `token`; the header step lights for each request that really carries it. */
  async function sendWith<T>(
    token: string | null,
    unsigned: Unsigned,
    shape: Shape<T> | undefined,
    retry: boolean,
  ): Promise<unknown> {
    const outgoing: Outgoing = token
      ? {
          ...unsigned,
          headers: { authorization: `Bearer ${token}` },
          identity: { kind: "bearer", text: bearerLabel(token) },
        }
      : { ...unsigned, identity: { kind: "none", text: "no token held" } };
    if (retry) outgoing.retry = true;
    // A public route (the products) checks no token: only requests that prove who is asking
    // light the workflow.
    if (token && !unsigned.public) deps.onClientStep?.("send_header");
    if (shape) return transport.json(outgoing, shape);
    return transport.send(outgoing);
  }

  /** A new access token from the refresh cookie; null when another tab already left one. */
  async function refresh(stale: string | null): Promise<User | null> {
    const run = async (): Promise<User | null> => {
      tokens.reload();
      const current = tokens.get();
      if (current !== null && current !== stale) return null;
      const outgoing: Outgoing = {
        method: "POST",
        path: "/auth/refresh",
        identity: refreshIdentity,
      };
      return keep(await transport.json(outgoing, responses.jwtLogin));
    };
    // Refresh tokens rotate with reuse detection: each refresh spends the cookie's token, and a
    // spent token shown again revokes its whole family. Two tabs refreshing at once would show the
    // same token twice and log every tab out, so one tab refreshes at a time (a Web Lock, where the
    // browser has them), and the next re-reads the stored token before spending the cookie again.
    const locks = globalThis.navigator?.locks;
    return locks ? locks.request(refreshLockName, run) : run();
  }

  /** One refresh at a time in this tab: requests that expire together share it. */
  function refreshOnce(stale: string | null): Promise<User | null> {
    refreshing ??= refresh(stale).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /**
   * Sends with the bearer token; on `token_expired`, one refresh and one retry, never more. A 401
   * that survives that ends the login, so the token is forgotten here, and only here.
   */
  function authed(unsigned: Unsigned): Promise<unknown>;
  function authed<T>(unsigned: Unsigned, shape: Shape<T>): Promise<T>;
  async function authed<T>(unsigned: Unsigned, shape?: Shape<T>): Promise<unknown> {
    let used = tokens.get();
    try {
      try {
        return await sendWith(used, unsigned, shape, false);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === "token_expired")) throw error;
      }
      // Another request may have replaced the token while this one was on its way: use that one.
      if (tokens.get() === used) await refreshOrEnd(used);
      used = tokens.get();
      return await sendWith(used, unsigned, shape, true);
    } catch (error) {
      // Forget the refused token, unless a newer one (another request's refresh) replaced it.
      // A wrong current password (`invalid_credentials`) is about the body, not the token.
      if (
        error instanceof ApiError &&
        error.status === 401 &&
        error.code !== "invalid_credentials" &&
        used !== null &&
        tokens.get() === used
      )
        clear();
      throw error;
    }
  }

  async function refreshOrEnd(stale: string | null): Promise<void> {
    try {
      await refreshOnce(stale);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      throw new ApiError(
        401,
        "login_ended",
        "Your token expired and the refresh token was refused: please log in again.",
      );
    }
  }

  return {
    ...shopRoutes((unsigned, shape) => authed(unsigned, shape)),

    async restore(): Promise<User | null> {
      try {
        if (!tokens.get()) {
          // No token in memory (a reload): the HttpOnly refresh cookie may still vouch for us,
          // and its answer names the user, so no /auth/me is needed.
          const user = await refreshOnce(null);
          if (user) return user;
        }
        return (await authed({ method: "GET", path: "/auth/me" }, responses.jwtMe)).user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },

    async login(username, password) {
      deps.onClientStep?.("post_credentials");
      const outgoing: Outgoing = {
        method: "POST",
        path: "/auth/login",
        body: { username, password },
        identity: { kind: "none", text: "credentials in the body" },
      };
      return keep(await transport.json(outgoing, responses.jwtLogin));
    },

    async signup(account) {
      deps.onClientStep?.("post_credentials");
      const outgoing: Outgoing = {
        method: "POST",
        path: "/auth/signup",
        body: account,
        identity: { kind: "none", text: "credentials in the body" },
      };
      return keep(await transport.json(outgoing, responses.jwtLogin));
    },

    async changePassword(currentPassword, newPassword) {
      const used = tokens.get();
      const body = { currentPassword, newPassword };
      const answer = await authed({ method: "POST", path: "/auth/password", body });
      // The server revoked every refresh token of the user and may refuse access tokens issued
      // before now, this one included; it hands this login new ones, in the answer or as a new
      // refresh cookie to spend at once.
      if (responses.jwtLogin(answer)) keep(answer);
      else await refreshOrEnd(used);
    },

    async logoutEverywhere() {
      await authed({ method: "POST", path: "/auth/logout-everywhere" });
      // The server ended every refresh family; only the client can forget its access token.
      clear();
    },

    admin: adminRoutes((unsigned, shape) => authed(unsigned, shape)),

    async logout() {
      try {
        await authed({ method: "POST", path: "/auth/logout" });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      } finally {
        // The server can revoke the refresh token; only the client can forget the access token.
        clear();
      }
    },

    demoState: (): Promise<JwtDemoState> => {
      // The server shows refresh tokens in full only to their user, so the token goes along.
      const token = tokens.get();
      const identity: Outgoing["identity"] = token
        ? { kind: "bearer", text: bearerLabel(token) }
        : { kind: "none", text: "public" };
      const headers = token ? { authorization: `Bearer ${token}` } : undefined;
      return transport.json(
        { method: "GET", path: "/demo/state", identity, ...(headers ? { headers } : {}) },
        responses.jwtDemoState,
        { record: false },
      );
    },
  };
}
