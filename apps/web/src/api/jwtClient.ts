import {
  type Cart,
  cartSchema,
  type JwtDemoState,
  type JwtLoginResponse,
  jwtDemoStateSchema,
  jwtLoginResponseSchema,
  jwtMeResponseSchema,
  productsResponseSchema,
  shortenSecret,
  type User,
} from "@repo/contract";
import { type ApiClient, ApiError, type ClientDeps, type Identity } from "./client";
import { type TokenStorageKind, TokenStore } from "./tokenStore";
import { type Outgoing, type Parser, Transport } from "./transport";

export interface JwtApiClient extends ApiClient {
  readonly tokenStorage: TokenStorageKind;
  setTokenStorage(kind: TokenStorageKind): void;
}

const refreshIdentity: Identity = {
  kind: "refresh-cookie",
  text: "refresh_token cookie sent automatically (HttpOnly, Path=/api/jwt/auth)",
};

/**
 * JWT mode: the client carries the access token itself, in `Authorization: Bearer`. When the
 * server says `token_expired`, it asks for a new one once (the refresh cookie goes by itself)
 * and retries once; a second failure ends the login instead of looping.
 */
export function createJwtClient(deps: ClientDeps & { tokenStore?: TokenStore } = {}): JwtApiClient {
  const transport = new Transport("jwt", deps);
  const tokens = deps.tokenStore ?? new TokenStore("memory");
  let refreshing: Promise<void> | null = null;

  function request(method: Outgoing["method"], path: string, body?: unknown): Outgoing {
    const token = tokens.get();
    const outgoing: Outgoing = token
      ? {
          method,
          path,
          headers: { authorization: `Bearer ${token}` },
          identity: { kind: "bearer", text: `Bearer ${shortenSecret(token, 12)}` },
        }
      : { method, path, identity: { kind: "none", text: "no token held" } };
    if (body !== undefined) outgoing.body = body;
    if (token) deps.onClientStep?.("send_header");
    return outgoing;
  }

  function keep(answer: JwtLoginResponse): User {
    tokens.set(answer.accessToken);
    deps.onClientStep?.("store_token");
    return answer.user;
  }

  function clear(): void {
    tokens.set(null);
    deps.onClientStep?.("clear_token");
  }

  async function refresh(): Promise<void> {
    const outgoing: Outgoing = { method: "POST", path: "/auth/refresh", identity: refreshIdentity };
    keep(await transport.json(outgoing, jwtLoginResponseSchema));
  }

  /** One refresh at a time: requests that expire together share it. */
  function refreshOnce(): Promise<void> {
    refreshing ??= refresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /** Sends with the bearer token; on `token_expired`, one refresh and one retry, never more. */
  async function authed<T>(
    method: Outgoing["method"],
    path: string,
    schema: Parser<T>,
    body?: unknown,
  ): Promise<T> {
    try {
      return await transport.json(request(method, path, body), schema);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "token_expired")) throw error;
    }
    try {
      await refreshOnce();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        clear();
        throw new ApiError(
          401,
          "token_expired",
          "Your token expired and the refresh token was refused: please log in again.",
        );
      }
      throw error;
    }
    return transport.json({ ...request(method, path, body), retry: true }, schema);
  }

  const cartCall = (method: Outgoing["method"], path: string, body?: unknown): Promise<Cart> =>
    authed(method, path, cartSchema, body);

  return {
    mode: "jwt",
    currentToken: () => tokens.get(),
    get tokenStorage() {
      return tokens.storageKind;
    },
    setTokenStorage: (kind) => tokens.setKind(kind),

    async restore(): Promise<User | null> {
      try {
        if (tokens.get()) return (await authed("GET", "/auth/me", jwtMeResponseSchema)).user;
        // No token in memory (a reload): the HttpOnly refresh cookie may still vouch for us.
        await refreshOnce();
        return (await authed("GET", "/auth/me", jwtMeResponseSchema)).user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          tokens.set(null);
          return null;
        }
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
      return keep(await transport.json(outgoing, jwtLoginResponseSchema));
    },

    async logout() {
      try {
        await authed("POST", "/auth/logout", { safeParse: () => ({ success: true, data: null }) });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      } finally {
        // The server can revoke the refresh token; only the client can forget the access token.
        clear();
      }
    },

    products: async () => (await authed("GET", "/products", productsResponseSchema)).products,
    cart: () => cartCall("GET", "/cart"),
    addItem: (productId, quantity) => cartCall("POST", "/cart/items", { productId, quantity }),
    setQuantity: (productId, quantity) =>
      cartCall("PATCH", `/cart/items/${encodeURIComponent(productId)}`, { quantity }),
    removeItem: (productId) => cartCall("DELETE", `/cart/items/${encodeURIComponent(productId)}`),

    demoState: (): Promise<JwtDemoState> =>
      transport
        .send(
          { method: "GET", path: "/demo/state", identity: { kind: "none", text: "public" } },
          { record: false },
        )
        .then(({ body }) => {
          const parsed = jwtDemoStateSchema.safeParse(body);
          if (!parsed.success) throw new ApiError(200, "unexpected_response", "Odd demo state.");
          return parsed.data;
        }),
  };
}
