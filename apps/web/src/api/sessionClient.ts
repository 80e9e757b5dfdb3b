import {
  type Cart,
  cartSchema,
  csrfHeaderName,
  productsResponseSchema,
  type SessionDemoState,
  sessionDemoStateSchema,
  sessionLoginResponseSchema,
  sessionMeResponseSchema,
  shortenSecret,
  type User,
} from "@repo/contract";
import {
  type ApiClient,
  ApiError,
  type ClientDeps,
  type Identity,
  type RequestRecord,
} from "./client";
import { type Outgoing, Transport } from "./transport";

/** Names the cookie the server read (shortened), when its trace reports one. */
export function withCookieSeen(record: RequestRecord): RequestRecord {
  const sent = record.trace.find((entry) => entry.step === "send_cookie" && entry.outcome === "ok");
  if (!sent) return record;
  return {
    ...record,
    identity: {
      kind: "cookie",
      text: `Cookie: sid=${sent.detail ?? "…"}, sent automatically (HttpOnly, invisible to JavaScript)`,
    },
  };
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

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
  let csrfToken: string | null = null;
  let loggedIn = false;

  function identity(): Identity {
    return loggedIn
      ? {
          kind: "cookie",
          text: "sid cookie sent automatically (HttpOnly, invisible to JavaScript)",
        }
      : { kind: "none", text: "no session yet (a cookie, if any, is still sent by the browser)" };
  }

  function request(method: Outgoing["method"], path: string, body?: unknown): Outgoing {
    const outgoing: Outgoing = { method, path, identity: identity() };
    if (body !== undefined) outgoing.body = body;
    // The cookie alone would let any site post here; the token proves the page is ours (CSRF).
    if (unsafeMethods.has(method) && csrfToken) {
      outgoing.headers = { [csrfHeaderName]: csrfToken };
      outgoing.csrfToken = shortenSecret(csrfToken);
    }
    if (loggedIn) deps.onClientStep?.("send_cookie");
    return outgoing;
  }

  const cartCall = (method: Outgoing["method"], path: string, body?: unknown): Promise<Cart> =>
    transport.json(request(method, path, body), cartSchema);

  return {
    mode: "session",
    currentToken: () => null,

    async restore(): Promise<User | null> {
      try {
        const me = await transport.json(request("GET", "/auth/me"), sessionMeResponseSchema);
        csrfToken = me.csrfToken;
        loggedIn = true;
        return me.user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },

    async login(username, password) {
      deps.onClientStep?.("post_credentials");
      const answer = await transport.json(
        request("POST", "/auth/login", { username, password }),
        sessionLoginResponseSchema,
      );
      csrfToken = answer.csrfToken;
      loggedIn = true;
      return answer.user;
    },

    async logout() {
      try {
        await transport.send(request("POST", "/auth/logout"));
      } catch (error) {
        // A session the server already forgot is as logged out as it gets.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      } finally {
        csrfToken = null;
        loggedIn = false;
      }
    },

    products: async () =>
      (await transport.json(request("GET", "/products"), productsResponseSchema)).products,
    cart: () => cartCall("GET", "/cart"),
    addItem: (productId, quantity) => cartCall("POST", "/cart/items", { productId, quantity }),
    setQuantity: (productId, quantity) =>
      cartCall("PATCH", `/cart/items/${encodeURIComponent(productId)}`, { quantity }),
    removeItem: (productId) => cartCall("DELETE", `/cart/items/${encodeURIComponent(productId)}`),

    demoState: (): Promise<SessionDemoState> =>
      transport
        .send({ method: "GET", path: "/demo/state", identity: identity() }, { record: false })
        .then(({ body }) => {
          const parsed = sessionDemoStateSchema.safeParse(body);
          if (!parsed.success) throw new ApiError(200, "unexpected_response", "Odd demo state.");
          return parsed.data;
        }),
  };
}
