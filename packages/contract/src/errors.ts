import { z } from "zod";

/** Every error code of API.md, with the HTTP status it always travels with. */
export const errorStatus = {
  invalid_request: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  token_expired: 401,
  csrf: 403,
  not_found: 404,
  quantity_limit: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  store_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

/** One problem with one field of a request, for `details` on `invalid_request`. */
export const fieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/** The one error shape: `{error:{code, message, details?}}`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.array(fieldIssueSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
