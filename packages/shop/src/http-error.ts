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
