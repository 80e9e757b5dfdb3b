import { z } from "zod";
import {
  authModes,
  maxDisplayNameLength,
  maxPasswordLength,
  maxUsernameLength,
  roles,
} from "./values";

export const authModeSchema = z.enum(authModes);
export const roleSchema = z.enum(roles);

/** What any response may say about a user: never a hash or anything secret. */
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
});
export type User = z.infer<typeof userSchema>;

export const loginRequestSchema = z.strictObject({
  username: z.string().min(1).max(maxUsernameLength),
  password: z.string().min(1).max(maxPasswordLength),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/**
 * A new password's shape. Its rules (at least `minPasswordLength` characters, not a common or
 * demo password) are checked by the server's password policy, which says which one failed.
 */
const newPasswordSchema = z.string().min(1).max(maxPasswordLength);

/** No control, format or other invisible characters: a name is shown to people. */
const visibleText = /^[^\p{C}\p{Zl}\p{Zp}]*$/u;

/** `POST P/auth/signup`: a new customer account, logged in at once (docs/api.md). */
export const signupRequestSchema = z.strictObject({
  username: z.string().min(1).max(maxUsernameLength),
  password: newPasswordSchema,
  displayName: z.string().trim().min(1).max(maxDisplayNameLength).regex(visibleText),
});
export type SignupRequest = z.infer<typeof signupRequestSchema>;

/** `POST P/auth/password`: the current password proves it is the user, not a stolen session. */
export const passwordChangeRequestSchema = z.strictObject({
  currentPassword: z.string().min(1).max(maxPasswordLength),
  newPassword: newPasswordSchema,
});
export type PasswordChangeRequest = z.infer<typeof passwordChangeRequestSchema>;

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
