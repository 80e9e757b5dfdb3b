import express, { type RequestHandler } from "express";
import { HttpError } from "./http-error";

/** 16 KiB is far more than any request of this API needs, and small enough to parse cheaply. */
export const maxBodyBytes = 16 * 1024;

function hasBody(headers: { "content-length"?: string; "transfer-encoding"?: string }): boolean {
  if (headers["transfer-encoding"] !== undefined) return true;
  return headers["content-length"] !== undefined && headers["content-length"] !== "0";
}

/**
 * JSON bodies only. A body of any other type is refused before it is read (415), so form posts
 * from other sites never reach a handler; an empty POST (logout, refresh) is fine.
 */
export function jsonBodyParser(): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (hasBody(req.headers) && !req.is("application/json")) {
      next(new HttpError("unsupported_media_type", "Send the body as application/json."));
      return;
    }
    next();
  };
  // strict: only objects and arrays at the top level; the schemas then refuse anything else.
  return [requireJson, express.json({ limit: maxBodyBytes, strict: true })];
}
