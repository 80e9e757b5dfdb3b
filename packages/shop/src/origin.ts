import type { WorkflowStep } from "@repo/contract";
import type { Request, RequestHandler } from "express";
import { HttpError } from "./http-error";
import { type Trace, traceOf } from "./trace";

/**
 * The `Origin` of a request that another site's page started, or undefined when the request
 * came from our own origin, a trusted one, or not from a browser at all.
 *
 * Browsers put `Origin` on every cross-origin request and on every same-origin POST, PUT,
 * PATCH and DELETE, and no page can forge it; a request without one (curl, a test) cannot be
 * riding a visitor's cookies. Our own origin is the one the browser addressed: through the web
 * app's dev proxy (Vite, `changeOrigin: false`, so Host is kept) that is http://127.0.0.1:5173.
 * `req.protocol` and `req.host` follow X-Forwarded-* only when TRUST_PROXY is set; a proxy that
 * rewrites Host without them needs CSRF_TRUSTED_ORIGINS.
 */
export function foreignOrigin(req: Request, trustedOrigins: readonly string[]): string | undefined {
  const origin = req.get("origin");
  if (origin === undefined) return undefined;
  const ownOrigin = `${req.protocol}://${req.host}`;
  return origin === ownOrigin || trustedOrigins.includes(origin) ? undefined : origin;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses, with 403 `csrf`, an unsafe request that a browser says another site's page started.
 * Both backends put it in front of every route where the browser sends a cookie by itself.
 */
export function rejectForeignOrigin(options: {
  trustedOrigins: readonly string[];
  /** The workflow step the refusal shows up under in the trace. */
  traceStep: WorkflowStep;
}): RequestHandler {
  return (req, res, next) => {
    // #region origin-check
    // GET, HEAD and OPTIONS change nothing here, so any page may send them.
    if (safeMethods.has(req.method)) return next();
    // The browser says which page started the request, and no page can forge `Origin`.
    const foreign = foreignOrigin(req, options.trustedOrigins);
    if (foreign) {
      traceOf(res).add(options.traceStep, "Origin checked", "fail", `foreign origin ${foreign}`);
      throw new HttpError("csrf", "This request came from another site.");
    }
    next();
    // #endregion
  };
}

/**
 * Whether a cookie set on this response must be `Secure`: always in production, and whenever
 * the request came over HTTPS (directly, or through a proxy trusted with TRUST_PROXY), so
 * plain http://127.0.0.1 still works in development.
 */
export function secureCookie(req: Request, isProduction: boolean): boolean {
  return isProduction || req.secure;
}

/**
 * Refuses, with 403 `https_required`, a login (or any route that sets a new login cookie) whose
 * cookie the browser would drop: in production every cookie is Secure, and a browser ignores a
 * Secure cookie set over plain HTTP, so the server would store a session or a refresh token that
 * nobody ever gets. Called before anything is checked or stored.
 */
export function requireCookieDelivery(
  req: Request,
  isProduction: boolean,
  trace: Trace,
  traceStep: WorkflowStep,
): void {
  if (!isProduction || req.secure) return;
  trace.add(traceStep, "cookie delivery checked", "fail", "a Secure cookie over plain HTTP");
  throw new HttpError(
    "https_required",
    "Use HTTPS: this server's cookies are Secure, and a browser drops them over plain HTTP. " +
      "Behind a proxy that terminates TLS, set TRUST_PROXY.",
  );
}
