// The contract's plain values: the names, limits, codes and steps both sides agree on. No zod
// here, so the browser can import all of these without bundling a validator.

/** The two ways this shop can remember who is asking. */
export const authModes = ["session", "jwt"] as const;
export type AuthMode = (typeof authModes)[number];

/**
 * What a user may do, the answer to "what can you do?" (authorization), as opposed to "who are
 * you?" (authentication). Every account has exactly one; new accounts are customers.
 */
export const roles = ["customer", "staff"] as const;
export type Role = (typeof roles)[number];

/** Names of the headers and cookies both sides must agree on. */
export const csrfHeaderName = "x-csrf-token";
export const traceHeaderName = "x-auth-trace";
/** Which instance of a backend answered (docs/api.md): several may serve one address. */
export const instanceHeaderName = "x-instance";
export const sessionCookieName = "sid";
export const refreshCookieName = "refresh_token";

/** Where each backend lives, on its own server and through the web app's proxy. */
export const apiPrefix = { session: "/api/session", jwt: "/api/jwt" } as const satisfies Record<
  AuthMode,
  string
>;

/**
 * The demo accounts of docs/api.md: seeded into every empty store, and shown on the login form in
 * demo mode. Public workshop credentials, defined once; never a pattern for real accounts.
 */
export const demoUsers: readonly Readonly<{
  username: string;
  password: string;
  displayName: string;
  role: Role;
}>[] = Object.freeze([
  Object.freeze({
    username: "alice",
    password: "wonderland42",
    displayName: "Alice",
    role: "customer",
  }),
  Object.freeze({ username: "bob", password: "builder42", displayName: "Bob", role: "customer" }),
  Object.freeze({ username: "sam", password: "storekeeper42", displayName: "Sam", role: "staff" }),
]);

/** Long enough for a passphrase, short enough that hashing it is never a denial of service. */
export const maxPasswordLength = 256;
/**
 * The shortest new password, in characters (Unicode code points): OWASP Authentication Cheat
 * Sheet, "Implement Proper Password Strength Controls", with no composition rules.
 */
export const minPasswordLength = 8;
export const maxUsernameLength = 64;
export const maxDisplayNameLength = 64;

/** The most of one product a cart line may hold (docs/api.md: a request past it gets 409). */
export const maxQuantityPerLine = 99;

/**
 * Demo mode's run-time settings (docs/api.md, "Demo settings"): the access token's lifetime a lab
 * may choose, in seconds, and the places the session backend can keep sessions.
 */
export const demoAccessTokenTtlSeconds = { min: 5, max: 24 * 60 * 60 } as const; // 5 s to 1 day
export const sessionStoreKinds = ["memory", "sqlite", "redis", "postgres"] as const;
export type SessionStoreKind = (typeof sessionStoreKinds)[number];

/** The most entries the demo's session cart holds (the lost-updates lab needs about 100). */
export const maxSessionCartEntries = 200;

/** Every error code of docs/api.md, with the HTTP status it always travels with. */
export const errorStatus = {
  invalid_request: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  token_expired: 401,
  forbidden: 403,
  csrf: 403,
  https_required: 403,
  not_found: 404,
  quantity_limit: 409,
  own_account: 409,
  username_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  store_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

/** Shows enough of a secret to tell two apart, never enough to use one. */
export function shortenSecret(secret: string, visibleChars = 6): string {
  return secret.length <= visibleChars ? "…" : `${secret.slice(0, visibleChars)}…`;
}

/**
 * The numbered steps of each mode's workflow, as the web app lights them up.
 * Steps marked "client" happen in the browser; the server traces the rest.
 */
export const workflowSteps = {
  session: [
    { id: "post_credentials", label: "Post credentials", side: "client" },
    { id: "verify_password", label: "Verify the password", side: "server" },
    { id: "store_session", label: "Store a session", side: "server" },
    { id: "issue_cookie", label: "Issue the cookie", side: "server" },
    { id: "send_cookie", label: "Browser sends the cookie", side: "client" },
    { id: "lookup_session", label: "Look the session up", side: "server" },
    { id: "destroy_session", label: "Destroy it at logout", side: "server" },
  ],
  jwt: [
    { id: "post_credentials", label: "Post credentials", side: "client" },
    { id: "verify_password", label: "Verify the password", side: "server" },
    { id: "sign_token", label: "Sign a token", side: "server" },
    { id: "return_token", label: "Return the token", side: "server" },
    { id: "store_token", label: "Client stores the token", side: "client" },
    { id: "send_header", label: "Client sends it in the header", side: "client" },
    { id: "verify_token", label: "Verify the signature", side: "server" },
    { id: "clear_token", label: "Clear it at logout", side: "client" },
  ],
} as const satisfies Record<AuthMode, readonly { id: string; label: string; side: string }[]>;

export type SessionWorkflowStep = (typeof workflowSteps.session)[number]["id"];
export type JwtWorkflowStep = (typeof workflowSteps.jwt)[number]["id"];
export type WorkflowStep = SessionWorkflowStep | JwtWorkflowStep;
