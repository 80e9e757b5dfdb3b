import type { FieldIssue } from "@repo/contract";
import type { Request } from "express";
import type { z } from "zod";
import { HttpError } from "./http-error";

/** Parses a request body with a contract schema; a bad body is a 400 that changes nothing. */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  req: Request,
): z.output<Schema> {
  if (req.body === undefined) {
    throw new HttpError("invalid_request", "This request needs a JSON body.");
  }
  const result = schema.safeParse(req.body);
  if (!result.success) {
    const details: FieldIssue[] = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join(".") || "(body)",
      message: issue.message,
    }));
    throw new HttpError("invalid_request", "The request body is not valid.", details);
  }
  return result.data;
}

/** Parses one route parameter with a contract schema. */
export function parseParam<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  name: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError("invalid_request", `The ${name} in the path is not valid.`, [
      { path: name, message: result.error.issues[0]?.message ?? "invalid" },
    ]);
  }
  return result.data;
}
