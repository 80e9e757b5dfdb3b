import type { ErrorBody } from "@repo/contract";
import { isBusy, StoreUnavailableError } from "@repo/store";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { HttpError, storeUnavailable } from "./http-error";

/** The 404 for every path no route claims, in the one error shape. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError("not_found", `No route for ${req.method} ${req.path}.`));
};

/** What body-parser and Express's router attach to the errors they throw (http-errors style). */
interface ClientError {
  type?: string;
  status?: number;
}

/**
 * Maps the errors the parser and the router throw for a bad request to ours, without their
 * message (it can echo the body or the path back). Every 4xx they raise is the client's fault,
 * never a 500: a body that says `Content-Encoding: gzip` but is not gzip, or a path parameter
 * that is not valid percent-encoding (`%ZZ`, or `%C0%AF`, an overlong form of `/`).
 */
function fromClientError(error: ClientError): HttpError | undefined {
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
  }
  if (error instanceof URIError) {
    return new HttpError("invalid_request", "The path is not valid percent-encoding.");
  }
  // Any other client error they raise: a body zlib cannot inflate, for one.
  if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
    return new HttpError("invalid_request", "The request could not be read.");
  }
  return undefined;
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
        : error instanceof StoreUnavailableError || isBusy(error)
          ? storeUnavailable() // another process held the SQLite file for too long
          : typeof error === "object" && error !== null
            ? fromClientError(error as ClientError)
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
    res.locals.errorCode = httpError.code; // for the demo's log of requests from other sites
    res.status(httpError.status).set(httpError.headers).json(body);
  };
}
