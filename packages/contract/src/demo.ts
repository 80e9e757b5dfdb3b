import { z } from "zod";

const isoTime = z.string();

/** `GET /api/session/demo/state`: the session table exactly as the server holds it. */
export const sessionDemoStateSchema = z.object({
  mode: z.literal("session"),
  store: z.enum(["memory", "sqlite", "redis", "postgres"]),
  sessions: z.array(
    z.object({
      id: z.string(),
      userId: z.string().nullable(),
      username: z.string().nullable(),
      createdAt: isoTime.nullable(),
      expiresAt: isoTime.nullable(),
      absoluteExpiresAt: isoTime.nullable(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type SessionDemoState = z.infer<typeof sessionDemoStateSchema>;

/** `GET /api/jwt/demo/state`: what little a stateless server keeps. */
export const jwtDemoStateSchema = z.object({
  mode: z.literal("jwt"),
  store: z.enum(["sqlite", "redis", "postgres"]),
  algorithm: z.string(),
  accessTokensKept: z.literal(0),
  denylistEnabled: z.boolean(),
  refreshTokens: z.array(
    z.object({
      id: z.string(),
      family: z.string(),
      userId: z.string(),
      username: z.string().nullable(),
      issuedAt: isoTime,
      expiresAt: isoTime,
      status: z.enum(["active", "rotated", "revoked"]),
    }),
  ),
  denylist: z.array(z.object({ jti: z.string(), expiresAt: isoTime })),
});
export type JwtDemoState = z.infer<typeof jwtDemoStateSchema>;
