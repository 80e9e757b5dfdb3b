import { z } from "zod";
import { authModes, maxPasswordLength, maxUsernameLength, roles } from "./values";

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
