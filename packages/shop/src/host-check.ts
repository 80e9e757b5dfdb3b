// DNS rebinding: a page at http://evil.example:4001 whose name the attacker then points at
// 127.0.0.1 reaches this server as if it were its own page. The browser thinks it is talking to
// evil.example, so it sends `Origin: http://evil.example:4001` with `Host: evil.example:4001`,
// they match, and the Origin check (origin.ts) takes the request for our own. No cookie of ours
// goes along (the browser keeps them by name), but the demo routes need none: they change the
// server's settings, restart it and show its state to anyone who asks. So in demo mode the
// server answers only to names it expects, as Vite's `server.allowedHosts` does for its own.
import { isIP } from "node:net";
import type { RequestHandler } from "express";
import { HttpError } from "./http-error";

/**
 * Whether a request's host name (Host without the port) may address this server: an IP address
 * (a page reaching us by address has that address as its origin: nothing to rebind), a loopback
 * name (`localhost` and `*.localhost`, which browsers never look up, RFC 6761 §6.3), or one of
 * `names`.
 */
export function isExpectedHost(hostname: string, names: readonly string[]): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (isIP(name) !== 0) return true;
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  return names.includes(name);
}

/** The names besides addresses and loopback: HOST when it is a name, and each trusted origin's. */
export function expectedHostNames(config: {
  host: string;
  trustedOrigins: readonly string[];
}): string[] {
  const names = config.trustedOrigins.map((origin) => new URL(origin).hostname.toLowerCase());
  return isIP(config.host) === 0 ? [config.host.toLowerCase(), ...names] : names;
}

/** Refuses, with 400, a request addressed by a name that is not one of ours (see above). */
export function rejectUnexpectedHost(names: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    // Express reads Host (X-Forwarded-Host only behind a trusted proxy) and drops the port. A
    // request without Host cannot come from a browser, so it cannot be a rebound page's.
    const hostname = req.hostname;
    if (hostname === undefined || isExpectedHost(hostname, names)) return next();
    throw new HttpError(
      "invalid_request",
      "This server answers only to localhost, IP addresses and the names in HOST and " +
        "CSRF_TRUSTED_ORIGINS.",
    );
  };
}
