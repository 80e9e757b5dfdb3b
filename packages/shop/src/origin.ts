import type { Request } from "express";

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
