import { type ErrorCode, errorStatus, type FieldIssue } from "@repo/contract";

/** An expected HTTP failure. The one error middleware turns it into `{error:{code,message}}`. */
export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[],
    /** Extra response headers, such as `Retry-After` or `WWW-Authenticate`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = errorStatus[code];
  }
}

/** How long a client should wait before retrying after a 503: a store that is back is used within about a second. */
export const storeRetryAfterSeconds = 1;

/**
 * The one answer when a backing store (Redis, a database) fails: 503, never a 500 or a hang,
 * with `Retry-After` (RFC 9110, 10.2.3) so a client or a proxy knows when to try again.
 */
export function storeUnavailable(): HttpError {
  return new HttpError(
    "store_unavailable",
    "A backing store is unavailable. Try again shortly.",
    undefined,
    { "Retry-After": String(storeRetryAfterSeconds) },
  );
}
