import type { ErrorBody } from "@repo/contract";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { HttpError } from "./http-error";

/** The 404 for every path no route claims, in the one error shape. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError("not_found", `No route for ${req.method} ${req.path}.`));
};

/** What body-parser attaches to the errors it throws. */
interface BodyParserError {
  type?: string;
  status?: number;
}

/** Maps the parser's own errors to ours, without its message (it can echo the body back). */
function fromBodyParser(error: BodyParserError): HttpError | undefined {
  switch (error.type) {
    case "entity.parse.failed":
      return new HttpError("invalid_request", "The body is not valid JSON.");
    case "entity.too.large":
      return new HttpError("payload_too_large", "The body is larger than 16 KiB.");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new HttpError("unsupported_media_type", "Send the body as UTF-8 JSON.");
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
      return new HttpError("invalid_request", "The body could not be read.");
    default:
      return undefined;
  }
}

/**
 * The one error middleware: every failure leaves as `{error:{code,message}}`. Expected failures
 * are `HttpError`s; anything else is a bug, logged on the server (no request data, so no
 * password or token can reach the log) and answered with a bare 500, never a stack.
 */
export function errorHandler(log: (message: string) => void = console.error): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let httpError =
      error instanceof HttpError
        ? error
        : typeof error === "object" && error !== null
          ? fromBodyParser(error as BodyParserError)
          : undefined;
    if (!httpError) {
      const name = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : "";
      log(`[${req.method} ${req.path}] unexpected ${name}: ${message}`);
      httpError = new HttpError("internal", "Something went wrong on the server.");
    }
    const body: ErrorBody = {
      error: {
        code: httpError.code,
        message: httpError.message,
        ...(httpError.details ? { details: httpError.details } : {}),
      },
    };
    res.status(httpError.status).set(httpError.headers).json(body);
  };
}
