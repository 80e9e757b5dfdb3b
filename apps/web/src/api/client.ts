import type {
  AuthMode,
  Cart,
  JwtDemoState,
  Product,
  SessionDemoState,
  TraceEntry,
  User,
  WorkflowStep,
} from "@repo/contract";

/** One HTTP exchange as the inspector shows it. */
export interface RequestRecord {
  id: number;
  mode: AuthMode;
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
  /** Set on the second attempt after a refresh, so the log tells the story. */
  retry?: boolean;
}

export type Identity =
  | { kind: "cookie"; text: string }
  | { kind: "bearer"; text: string }
  | { kind: "refresh-cookie"; text: string }
  | { kind: "none"; text: string };

/** What a client tells the app while it works: each exchange, and each step it takes itself. */
export interface ClientEvents {
  onExchange?: (record: RequestRecord) => void;
  onClientStep?: (step: WorkflowStep) => void;
}

export interface ClientDeps extends ClientEvents {
  fetch?: typeof fetch;
  now?: () => number;
}

/** A message the UI can show as is, with the facts it needs to say more. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * The one interface the shop talks to. The session client proves identity with a cookie the
 * browser sends by itself; the JWT client with a token it carries in a header.
 */
export interface ApiClient {
  readonly mode: AuthMode;
  /** Who is logged in after a reload, or null; never throws for "nobody". */
  restore(): Promise<User | null>;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  products(): Promise<Product[]>;
  cart(): Promise<Cart>;
  addItem(productId: string, quantity: number): Promise<Cart>;
  setQuantity(productId: string, quantity: number): Promise<Cart>;
  removeItem(productId: string): Promise<Cart>;
  /** What the server keeps right now (demo mode); not logged, so it cannot feed itself. */
  demoState(): Promise<SessionDemoState | JwtDemoState>;
  /** The credential JavaScript holds right now: a bearer token, or nothing (cookies are HttpOnly). */
  currentToken(): string | null;
}
