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

/** The one answer when a backing store (Redis, a database) fails: 503, never a 500 or a hang. */
export function storeUnavailable(): HttpError {
  return new HttpError("store_unavailable", "A backing store is unavailable. Try again shortly.");
}
