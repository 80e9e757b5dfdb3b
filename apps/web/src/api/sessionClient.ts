import {
  csrfHeaderName,
  type SessionDemoState,
  type SessionLoginResponse,
  sessionCookieName,
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
  type RequestRecord,
  shopRoutes,
  type Unsigned,
} from "./client";
import * as responses from "./responses";
import type { Shape } from "./shapes";
import { Transport } from "./transport";

/** Names the cookie the server read (shortened), when its trace reports one. */
function withCookieSeen(record: RequestRecord): RequestRecord {
  const sent = record.trace.find((entry) => entry.step === "send_cookie" && entry.outcome === "ok");
  if (!sent) return record;
  return {
    ...record,
    identity: {
      kind: "cookie",
      text: `Cookie: ${sessionCookieName}=${sent.detail ?? "…"}, sent automatically (HttpOnly, invisible to JavaScript)`,
    },
  };
}

/** A 401 that ends the session; a wrong password in a body (`invalid_credentials`) does not. */
function endsSession(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code !== "invalid_credentials";
}

const unsafeMethods = new Set<Outgoing["method"]>(["POST", "PATCH", "DELETE"]);

/**
 * Session mode: the browser sends the `sid` cookie by itself. It is HttpOnly, so this code
 * never sees it; all it holds is the CSRF token that must ride along on unsafe requests.
 */
export function createSessionClient(deps: ClientDeps = {}): ApiClient {
  // The server's trace says which cookie it read; JavaScript itself never gets to see it.
  const transport = new Transport("session", {
    ...deps,
    onExchange: (record) => deps.onExchange?.(withCookieSeen(record)),
  });
  // Held from login (or /auth/me) until the session ends: logged in means holding one.
  let csrfToken: string | null = null;

  function identity(): Identity {
    return csrfToken
      ? {
          kind: "cookie",
          text: `${sessionCookieName} cookie sent automatically (HttpOnly, invisible to JavaScript)`,
        }
      : { kind: "none", text: "no session yet (a cookie, if any, is still sent by the browser)" };
  }

  function request({ method, path, body, public: isPublic }: Unsigned): Outgoing {
    const outgoing: Outgoing = { method, path, identity: identity() };
    if (body !== undefined) outgoing.body = body;
    // The cookie alone would let any site post here; the token proves the page is ours (CSRF).
    if (unsafeMethods.has(method) && csrfToken) {
      outgoing.headers = { [csrfHeaderName]: csrfToken };
      outgoing.csrfToken = shortenSecret(csrfToken);
    }
    // The browser sends the cookie to a public route too (its Path covers it), but nothing
    // checks it there: only the requests that prove who is asking light the workflow.
    if (csrfToken && !isPublic) deps.onClientStep?.("send_cookie");
    return outgoing;
  }

  /**
   * Sends with the cookie (and the CSRF token when unsafe). A 401 means the server no longer
   * knows this session, so the CSRF token that belonged to it is forgotten, here and only here;
   * `invalid_credentials` (a wrong current password) is about the body, not the session.
   */
  function authed(unsigned: Unsigned): Promise<unknown>;
  function authed<T>(unsigned: Unsigned, shape: Shape<T>): Promise<T>;
  async function authed<T>(unsigned: Unsigned, shape?: Shape<T>): Promise<unknown> {
    const outgoing = request(unsigned);
    try {
      if (shape) return await transport.json(outgoing, shape);
      return await transport.send(outgoing);
    } catch (error) {
      if (endsSession(error)) csrfToken = null;
      throw error;
    }
  }

  /** Logged in as the answer says: a login, a sign-up, or `/auth/me` after a new session id. */
  function keep(answer: SessionLoginResponse): User {
    csrfToken = answer.csrfToken;
    // The server read this user from the store just now: their role as of this request.
    deps.onUser?.(answer.user);
    return answer.user;
  }

  return {
    ...shopRoutes((unsigned, shape) => authed(unsigned, shape)),

    async restore(): Promise<User | null> {
      try {
        return keep(await authed({ method: "GET", path: "/auth/me" }, responses.sessionLogin));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },

    async login(username, password) {
      deps.onClientStep?.("post_credentials");
      const answer = await transport.json(
        request({ method: "POST", path: "/auth/login", body: { username, password } }),
        responses.sessionLogin,
      );
      return keep(answer);
    },

    async signup(account) {
      deps.onClientStep?.("post_credentials");
      const answer = await transport.json(
        request({ method: "POST", path: "/auth/signup", body: account }),
        responses.sessionLogin,
      );
      return keep(answer);
    },

    async changePassword(currentPassword, newPassword) {
      const body = { currentPassword, newPassword };
      const answer = await authed({ method: "POST", path: "/auth/password", body });
      // The server moved this login to a new session id (and ended every other session of the
      // user), and the new session has its own CSRF token: from the answer, or from /auth/me.
      if (responses.sessionLogin(answer)) keep(answer);
      else keep(await authed({ method: "GET", path: "/auth/me" }, responses.sessionLogin));
    },

    async logoutEverywhere() {
      // This session ended with the others; a failure leaves it as the server still has it.
      await authed({ method: "POST", path: "/auth/logout-everywhere" });
      csrfToken = null;
    },

    admin: adminRoutes((unsigned, shape) => authed(unsigned, shape)),

    async logout() {
      try {
        await authed({ method: "POST", path: "/auth/logout" });
      } catch (error) {
        // A session the server already forgot is as logged out as it gets.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      } finally {
        csrfToken = null;
      }
    },

    demoState: (): Promise<SessionDemoState> =>
      transport.json(
        { method: "GET", path: "/demo/state", identity: identity() },
        responses.sessionDemoState,
        { record: false },
      ),
  };
}
