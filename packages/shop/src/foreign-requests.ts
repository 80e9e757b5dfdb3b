import type { ErrorCode, ForeignRequest } from "@repo/contract";
import type { RequestHandler } from "express";
import { foreignOrigin } from "./origin";
import { traceOf } from "./trace";

// Demo mode: the CSRF lab's window into the server. A page on another site can make the browser
// send a request, but can never read the answer; this log shows the lab what arrived (with which
// cookies) and what the server did with it.

/** The newest requests kept; older ones are dropped. */
export const maxForeignRequests = 50;

/** Unsafe requests, and the CORS preflight a browser sends before a non-simple one. */
const loggedMethods = new Set(["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The last `maxForeignRequests` unsafe requests from other origins, in memory. */
export class ForeignRequestLog {
  private readonly requests: ForeignRequest[] = [];

  /** Records each unsafe request or preflight with a foreign `Origin` once it is answered. */
  recorder(trustedOrigins: readonly string[]): RequestHandler {
    return (req, res, next) => {
      const origin = loggedMethods.has(req.method) ? foreignOrigin(req, trustedOrigins) : undefined;
      if (origin !== undefined) {
        res.on("finish", () => {
          const entries = traceOf(res).entries;
          this.add({
            at: new Date().toISOString(),
            method: req.method,
            path: req.path.slice(0, 200),
            origin,
            cookies: cookieNames(req.get("cookie")),
            status: res.statusCode,
            code: (res.locals.errorCode as ErrorCode | undefined) ?? null,
            refusedBy: entries.find((entry) => entry.outcome === "fail") ?? null,
          });
        });
      }
      next();
    };
  }

  /** Newest first. */
  list(): ForeignRequest[] {
    return [...this.requests].reverse();
  }

  private add(request: ForeignRequest): void {
    this.requests.push(request);
    if (this.requests.length > maxForeignRequests) this.requests.shift();
  }
}

/** `a=1; b=2` to `["a", "b"]`: which cookies came along, never what they hold. */
function cookieNames(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(";")
    .map((pair) => pair.split("=")[0]?.trim() ?? "")
    .filter((name) => name !== "")
    .slice(0, 20);
}
