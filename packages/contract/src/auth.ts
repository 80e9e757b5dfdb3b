import { z } from "zod";

/** The two ways this shop can remember who is asking. */
export const authModes = ["session", "jwt"] as const;
export const authModeSchema = z.enum(authModes);
export type AuthMode = z.infer<typeof authModeSchema>;

/** What any response may say about a user: never a hash or anything secret. */
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
});
export type User = z.infer<typeof userSchema>;

/** Long enough for a passphrase, short enough that hashing it is never a denial of service. */
export const maxPasswordLength = 256;
export const maxUsernameLength = 64;

export const loginRequestSchema = z.strictObject({
  username: z.string().min(1).max(maxUsernameLength),
  password: z.string().min(1).max(maxPasswordLength),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionLoginResponseSchema = z.object({
  user: userSchema,
  csrfToken: z.string(),
});
export type SessionLoginResponse = z.infer<typeof sessionLoginResponseSchema>;

/** `GET /api/session/auth/me` answers like login, so a reloaded page gets its CSRF token back. */
export const sessionMeResponseSchema = sessionLoginResponseSchema;
export type SessionMeResponse = SessionLoginResponse;

export const jwtLoginResponseSchema = z.object({
  user: userSchema,
  accessToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int().positive(),
});
export type JwtLoginResponse = z.infer<typeof jwtLoginResponseSchema>;

/** `POST /api/jwt/auth/refresh` answers exactly like login. */
export const jwtRefreshResponseSchema = jwtLoginResponseSchema;
export type JwtRefreshResponse = JwtLoginResponse;

export const jwtMeResponseSchema = z.object({ user: userSchema });
export type JwtMeResponse = z.infer<typeof jwtMeResponseSchema>;

export const healthResponseSchema = z.object({
  status: z.literal("ok"),
  mode: authModeSchema,
  store: z.record(z.string(), z.string()),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** Names of the headers and cookies both sides must agree on. */
export const csrfHeaderName = "x-csrf-token";
export const traceHeaderName = "x-auth-trace";
export const sessionCookieName = "sid";
export const refreshCookieName = "refresh_token";

/** Where each backend lives, on its own server and through the web app's proxy. */
export const apiPrefix = { session: "/api/session", jwt: "/api/jwt" } as const satisfies Record<
  AuthMode,
  string
>;

/**
 * The demo accounts of API.md: seeded into every empty store, and shown on the login form in
 * demo mode. Public workshop credentials, defined once; never a pattern for real accounts.
 */
export const demoUsers = Object.freeze([
  Object.freeze({ username: "alice", password: "wonderland42", displayName: "Alice" }),
  Object.freeze({ username: "bob", password: "builder42", displayName: "Bob" }),
]);
