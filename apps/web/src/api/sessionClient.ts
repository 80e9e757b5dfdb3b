import {
  csrfHeaderName,
  type SessionDemoState,
  sessionCookieName,
  shortenSecret,
  type User,
} from "@repo/contract";
import {
  type ApiClient,
  ApiError,
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

  function request({ method, path, body }: Unsigned): Outgoing {
    const outgoing: Outgoing = { method, path, identity: identity() };
    if (body !== undefined) outgoing.body = body;
    // The cookie alone would let any site post here; the token proves the page is ours (CSRF).
    if (unsafeMethods.has(method) && csrfToken) {
      outgoing.headers = { [csrfHeaderName]: csrfToken };
      outgoing.csrfToken = shortenSecret(csrfToken);
    }
    if (csrfToken) deps.onClientStep?.("send_cookie");
    return outgoing;
  }

  /**
   * Sends with the cookie (and the CSRF token when unsafe). A 401 means the server no longer
   * knows this session, so the CSRF token that belonged to it is forgotten, here and only here.
   */
  function authed(unsigned: Unsigned): Promise<void>;
  function authed<T>(unsigned: Unsigned, shape: Shape<T>): Promise<T>;
  async function authed<T>(unsigned: Unsigned, shape?: Shape<T>): Promise<T | undefined> {
    const outgoing = request(unsigned);
    try {
      if (shape) return await transport.json(outgoing, shape);
      await transport.send(outgoing);
      return undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) csrfToken = null;
      throw error;
    }
  }

  return {
    ...shopRoutes((unsigned, shape) => authed(unsigned, shape)),

    async restore(): Promise<User | null> {
      try {
        const me = await authed({ method: "GET", path: "/auth/me" }, responses.sessionLogin);
        csrfToken = me.csrfToken;
        return me.user;
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
      csrfToken = answer.csrfToken;
      return answer.user;
    },

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
