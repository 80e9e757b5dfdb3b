import { z } from "zod";
import { productIdSchema } from "./shop";
import { traceEntrySchema } from "./trace";
import {
  demoAccessTokenTtlSeconds,
  type ErrorCode,
  errorCodes,
  maxQuantityPerLine,
  sessionStoreKinds,
} from "./values";

// Demo mode's run-time settings (docs/api.md, "Demo settings"): what a lab may change without a
// restart. A change names only the settings it changes; an unknown key or a bad value is a 400
// that changes nothing.

const nonEmpty = (change: object) => Object.keys(change).length > 0;
const nonEmptyMessage = "name at least one setting to change";

/**
 * The JWT backend's settings: the access token's lifetime, whether logout denylists it, and
 * whether each request applies the account's cut-off (JWT_USER_CUTOFF).
 */
export const jwtDemoSettingsSchema = z.strictObject({
  accessTokenTtlSeconds: z
    .number()
    .int()
    .min(demoAccessTokenTtlSeconds.min)
    .max(demoAccessTokenTtlSeconds.max),
  denylist: z.boolean(),
  userCutoff: z.boolean(),
});
export type JwtDemoSettings = z.infer<typeof jwtDemoSettingsSchema>;

/** `PATCH /api/jwt/demo/settings`: any of the settings, at least one. */
export const jwtDemoSettingsChangeSchema = jwtDemoSettingsSchema
  .partial()
  .refine(nonEmpty, nonEmptyMessage);
export type JwtDemoSettingsChange = z.infer<typeof jwtDemoSettingsChangeSchema>;

/** `GET` and `PATCH /api/jwt/demo/settings`: the settings in force and the configured ones. */
export const jwtDemoSettingsResponseSchema = z.object({
  mode: z.literal("jwt"),
  settings: jwtDemoSettingsSchema,
  configured: jwtDemoSettingsSchema,
});
export type JwtDemoSettingsResponse = z.infer<typeof jwtDemoSettingsResponseSchema>;

/** The session backend's settings: where sessions are kept. */
export const sessionDemoSettingsSchema = z.strictObject({
  sessionStore: z.enum(sessionStoreKinds),
});
export type SessionDemoSettings = z.infer<typeof sessionDemoSettingsSchema>;

/** `PATCH /api/session/demo/settings`: any of the settings, at least one. */
export const sessionDemoSettingsChangeSchema = sessionDemoSettingsSchema
  .partial()
  .refine(nonEmpty, nonEmptyMessage);
export type SessionDemoSettingsChange = z.infer<typeof sessionDemoSettingsChangeSchema>;

/** `GET` and `PATCH /api/session/demo/settings`, with the stores this process can switch to. */
export const sessionDemoSettingsResponseSchema = z.object({
  mode: z.literal("session"),
  settings: sessionDemoSettingsSchema,
  configured: sessionDemoSettingsSchema,
  choices: z.object({ sessionStore: z.array(z.enum(sessionStoreKinds)) }),
});
export type SessionDemoSettingsResponse = z.infer<typeof sessionDemoSettingsResponseSchema>;

/**
 * `GET /api/session/demo/session-cart`: the lost-updates lab's cart kept *in the session*, the
 * mistake the real cart avoids. One entry per add that survived, in the order they were saved.
 */
export const sessionCartItemSchema = z.object({
  productId: productIdSchema,
  quantity: z.number().int().min(1).max(maxQuantityPerLine),
});
export type SessionCartItem = z.infer<typeof sessionCartItemSchema>;

export const sessionCartSchema = z.object({
  items: z.array(sessionCartItemSchema),
  itemCount: z.number().int().nonnegative(),
});
export type SessionCart = z.infer<typeof sessionCartSchema>;

/**
 * `GET P/demo/foreign-requests`: the CSRF lab's view of the server, newest first. Each unsafe
 * request another origin's page started: which cookies the browser attached (names only), and
 * which check refused it. The attacking page itself can never read these answers.
 */
export const foreignRequestSchema = z.object({
  at: z.string(),
  method: z.string(),
  path: z.string(),
  origin: z.string(),
  cookies: z.array(z.string()),
  status: z.number().int(),
  code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]).nullable(),
  refusedBy: traceEntrySchema.nullable(),
});
export type ForeignRequest = z.infer<typeof foreignRequestSchema>;

export const foreignRequestsResponseSchema = z.object({ requests: z.array(foreignRequestSchema) });
export type ForeignRequestsResponse = z.infer<typeof foreignRequestsResponseSchema>;
