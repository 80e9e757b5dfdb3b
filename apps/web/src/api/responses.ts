import {
  type Cart,
  type ErrorBody,
  errorCodes,
  type JwtDemoState,
  type JwtLoginResponse,
  type JwtMeResponse,
  type ProductsResponse,
  roles,
  type SessionDemoState,
  type SessionLoginResponse,
  type TraceEntry,
  type User,
  workflowSteps,
} from "@repo/contract";
import {
  arrayOf,
  boolean,
  nullable,
  number,
  object,
  oneOf,
  optional,
  record,
  type Shape,
  string,
} from "./shapes";

// The answers of the HTTP contract (docs/api.md) as the browser checks them, read as
// `responses.cart` and so on. Each is typed against the contract's own type, so a field the
// contract adds or renames fails `tsc` here.

export const user: Shape<User> = object({
  id: string,
  username: string,
  displayName: string,
  role: oneOf(...roles),
});

const product = object({ id: string, name: string, description: string, priceCents: number });
export const products: Shape<ProductsResponse> = object({ products: arrayOf(product) });

const cartLine = object({
  productId: string,
  name: string,
  priceCents: number,
  quantity: number,
  lineTotalCents: number,
});
export const cart: Shape<Cart> = object({
  items: arrayOf(cartLine),
  itemCount: number,
  totalCents: number,
});

/** Session login and `GET /auth/me` answer alike: the user and the session's CSRF token. */
export const sessionLogin: Shape<SessionLoginResponse> = object({
  user,
  csrfToken: string,
});

/** JWT login and refresh answer alike: the user and a new access token. */
export const jwtLogin: Shape<JwtLoginResponse> = object({
  user,
  accessToken: string,
  tokenType: oneOf("Bearer"),
  expiresIn: number,
});

export const jwtMe: Shape<JwtMeResponse> = object({ user });

/** The one error shape, `{error:{code, message}}`, with a code the contract knows. */
export const errorBody: Shape<ErrorBody> = object({
  error: object({
    code: oneOf(...errorCodes),
    message: string,
    details: optional(arrayOf(object({ path: string, message: string }))),
  }),
});

const isoTime = string;

export const sessionDemoState: Shape<SessionDemoState> = object({
  mode: oneOf("session"),
  store: oneOf("memory", "sqlite", "redis", "postgres"),
  sessions: arrayOf(
    object({
      id: string,
      userId: nullable(string),
      username: nullable(string),
      role: optional(nullable(oneOf(...roles))),
      createdAt: nullable(isoTime),
      expiresAt: nullable(isoTime),
      absoluteExpiresAt: nullable(isoTime),
      data: record,
    }),
  ),
  otherSessions: number,
});

export const jwtDemoState: Shape<JwtDemoState> = object({
  mode: oneOf("jwt"),
  store: oneOf("sqlite", "redis", "postgres"),
  algorithm: string,
  accessTokensKept: oneOf(0),
  denylistEnabled: boolean,
  refreshTokens: arrayOf(
    object({
      id: string,
      family: string,
      userId: string,
      username: nullable(string),
      issuedAt: isoTime,
      expiresAt: isoTime,
      status: oneOf("active", "rotated", "revoked"),
    }),
  ),
  otherRefreshTokens: number,
  denylist: arrayOf(object({ jti: string, expiresAt: isoTime })),
});

const stepIds = [...new Set([...workflowSteps.session, ...workflowSteps.jwt].map(({ id }) => id))];
const traceEntry: Shape<TraceEntry> = object({
  step: oneOf(...stepIds),
  action: string,
  outcome: oneOf("ok", "fail", "info"),
  detail: optional(string),
});

/** Reads an `X-Auth-Trace` header; a missing or garbled one reads as no steps. */
export function decodeTrace(header: string | null): TraceEntry[] {
  if (!header) return [];
  try {
    const entries: unknown = JSON.parse(header);
    return arrayOf(traceEntry)(entries) ? entries : [];
  } catch {
    return [];
  }
}
