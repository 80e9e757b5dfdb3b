import type {
  AdminCartsResponse,
  AdminUser,
  AdminUserChange,
  Cart,
  ErrorCode,
  FieldIssue,
  JwtDemoState,
  Product,
  SessionDemoState,
  TraceEntry,
  User,
  WorkflowStep,
} from "@repo/contract";
import * as adminResponses from "./adminResponses";
import * as responses from "./responses";
import type { Shape } from "./shapes";

/** One HTTP exchange as the inspector shows it. */
export interface RequestRecord {
  id: number;
  method: string;
  path: string;
  /** 0 when no answer came back at all (network failure). */
  status: number;
  durationMs: number;
  /** What proved identity on the way out, as far as JavaScript can know it. */
  identity: Identity;
  /** The CSRF token sent with an unsafe session-mode request, shortened. */
  csrfToken?: string;
  /** The server-side steps from `X-Auth-Trace`, in order. */
  trace: TraceEntry[];
  errorCode?: string;
  /** Which instance of the backend answered (`X-Instance`), when it says. */
  instance?: string;
  /** Set on the second attempt after a refresh, so the log tells the story. */
  retry?: boolean;
}

export type Identity =
  | { kind: "cookie"; text: string }
  | { kind: "bearer"; text: string }
  | { kind: "refresh-cookie"; text: string }
  | { kind: "none"; text: string };

/** One request as a client wants it sent. */
export interface Outgoing {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  identity: Identity;
  csrfToken?: string;
  retry?: boolean;
}

/** What a client tells the app while it works: each exchange, and each step it takes itself. */
export interface ClientEvents {
  onExchange?: (record: RequestRecord) => void;
  onClientStep?: (step: WorkflowStep) => void;
  /**
   * An answer named the logged-in user as the server knows them now (session: `/auth/me` and
   * logins; JWT: the answers that bring a new access token, whose role claim they match).
   */
  onUser?: (user: User) => void;
}

export interface ClientDeps extends ClientEvents {
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * The server's error codes, plus three the client makes itself: no answer, an answer of the
 * wrong shape, and a login that ended because the refresh token was refused.
 */
export type ApiErrorCode = ErrorCode | "backend_down" | "unexpected_response" | "login_ended";

/** A message the UI can show as is, with the facts it needs to say more. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** When a 429's Retry-After runs out, in epoch ms. */
    readonly retryAtMs?: number,
    /** Which fields of the request were wrong, and why (`invalid_request`). */
    readonly details: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * The one interface the shop talks to. The session client proves identity with a cookie the
 * browser sends by itself; the JWT client with a token it carries in a header.
 */
export interface ApiClient extends ShopRoutes {
  /** Who is logged in after a reload, or null; never throws for "nobody". */
  restore(): Promise<User | null>;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  /** Creates an account and is logged in as it, exactly as after a login. */
  signup(account: NewAccount): Promise<User>;
  /**
   * Changes the password. The server ends every other login of the user; this client goes on
   * with the new credential it is given (a new session id and CSRF token, or new tokens).
   */
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  /** Ends every login of the user, this one included. */
  logoutEverywhere(): Promise<void>;
  /** The staff routes: only a staff member gets an answer, anyone else 403 `forbidden`. */
  admin: AdminRoutes;
  /** What the server keeps right now (demo mode); not logged, so it cannot feed itself. */
  demoState(): Promise<SessionDemoState | JwtDemoState>;
}

/** The five shop calls, the same in both modes: only how a request proves identity differs. */
export interface ShopRoutes {
  products(): Promise<Product[]>;
  cart(): Promise<Cart>;
  addItem(productId: string, quantity: number): Promise<Cart>;
  setQuantity(productId: string, quantity: number): Promise<Cart>;
  removeItem(productId: string): Promise<Cart>;
}

/** What `POST P/auth/signup` takes (docs/api.md). */
export interface NewAccount {
  username: string;
  displayName: string;
  password: string;
}

/** A request before a client adds what proves identity. */
export type Unsigned = Pick<Outgoing, "method" | "path" | "body"> & {
  /** A route that needs no login (the products): no credential step of the workflow. */
  public?: boolean;
};

/** Sends a request the client's own way and checks the answer has the contract's shape. */
export type SendAuthed = <T>(request: Unsigned, shape: Shape<T>) => Promise<T>;

/** The shop routes of docs/api.md on top of one client's way of sending. */
export function shopRoutes(send: SendAuthed): ShopRoutes {
  const itemPath = (productId: string) => `/cart/items/${encodeURIComponent(productId)}`;
  return {
    products: async () =>
      (await send({ method: "GET", path: "/products", public: true }, responses.products)).products,
    cart: () => send({ method: "GET", path: "/cart" }, responses.cart),
    addItem: (productId, quantity) =>
      send({ method: "POST", path: "/cart/items", body: { productId, quantity } }, responses.cart),
    setQuantity: (productId, quantity) =>
      send({ method: "PATCH", path: itemPath(productId), body: { quantity } }, responses.cart),
    removeItem: (productId) =>
      send({ method: "DELETE", path: itemPath(productId) }, responses.cart),
  };
}

/** The staff routes of docs/api.md: the same in both modes, like the shop's. */
export interface AdminRoutes {
  users(): Promise<AdminUser[]>;
  /** Changes another user's role or disabled flag; answers with the user as it now is. */
  updateUser(id: string, change: AdminUserChange): Promise<AdminUser>;
  carts(): Promise<AdminCartsResponse["carts"]>;
}

/** The staff routes on top of one client's way of sending. */
export function adminRoutes(send: SendAuthed): AdminRoutes {
  return {
    users: async () =>
      (await send({ method: "GET", path: "/admin/users" }, adminResponses.users)).users,
    updateUser: async (id, change) =>
      (
        await send(
          { method: "PATCH", path: `/admin/users/${encodeURIComponent(id)}`, body: change },
          adminResponses.user,
        )
      ).user,
    carts: async () =>
      (await send({ method: "GET", path: "/admin/carts" }, adminResponses.carts)).carts,
  };
}
