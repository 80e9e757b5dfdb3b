import { z } from "zod";
import { roleSchema } from "./auth";

const isoTime = z.string();

/**
 * `GET /api/session/demo/state`: the session table as the server holds it, in full only for the
 * caller's own sessions (those of the user its `sid` cookie names); the rest are only counted, so
 * a page on the room's network learns nothing about who else is logged in.
 */
export const sessionDemoStateSchema = z.object({
  mode: z.literal("session"),
  store: z.enum(["memory", "sqlite", "redis", "postgres"]),
  sessions: z.array(
    z.object({
      id: z.string(),
      userId: z.string().nullable(),
      username: z.string().nullable(),
      /**
       * The role the session gate reads from the store on every request: the session itself
       * keeps only the user id, so a role change counts at the user's next request.
       */
      role: roleSchema.nullable().optional(),
      createdAt: isoTime.nullable(),
      expiresAt: isoTime.nullable(),
      absoluteExpiresAt: isoTime.nullable(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  /** Sessions of other users (or of nobody the caller is): counted, never shown. */
  otherSessions: z.number().int().nonnegative(),
});
export type SessionDemoState = z.infer<typeof sessionDemoStateSchema>;

/**
 * `GET /api/jwt/demo/state`: what little a stateless server keeps, refresh tokens in full only for
 * the caller (the user of the access token it sends); the denylist names no user.
 */
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
  /** Refresh tokens of other users (or all of them, for a caller without a token): counted. */
  otherRefreshTokens: z.number().int().nonnegative(),
  denylist: z.array(z.object({ jti: z.string(), expiresAt: isoTime })),
});
export type JwtDemoState = z.infer<typeof jwtDemoStateSchema>;
