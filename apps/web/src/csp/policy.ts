// The web app's Content-Security-Policy: the second line of defence against XSS (OWASP Content
// Security Policy Cheat Sheet). The first is never letting text become markup; this one means
// that if it ever does, the browser still runs no script but the app's own files. Built here,
// as a string, for the Vite plugin beside it (node-side: the browser never imports this file).
import { createHash } from "node:crypto";

/** The attacker site of the labs (docs/api.md, "The attacker site"), as both origins reach it. */
export const defaultAttackerOrigins = ["http://localhost:5174", "http://127.0.0.1:5174"];

export interface PolicyOptions {
  /**
   * Origins the labs page may frame (the forging page), fetch from (`/records`), and send to
   * (`/record`, by fetch or an image) as an injected script would. Empty in a build for real use
   * (the default of a production build: parseAttackerOrigins).
   */
  attackerOrigins: readonly string[];
  /**
   * Vite's dev server only: the hashes of the inline scripts it writes into the page (React's
   * fast-refresh preamble) and the origin of its hot-reload socket.
   */
  dev?: { inlineScriptHashes: readonly string[]; socketOrigin: string };
}

/** The policy as one header value, strict everywhere the dev server does not need otherwise. */
export function contentSecurityPolicy({ attackerOrigins, dev }: PolicyOptions): string {
  const attackers = attackerOrigins.join(" ");
  const directives: [string, string][] = [
    // Nothing loads unless a directive below allows it.
    ["default-src", "'self'"],
    // The point of the policy: only our own script files, never inline code or eval. In dev,
    // also the one inline preamble Vite writes, by its hash, never by 'unsafe-inline'.
    ["script-src", ["'self'", ...(dev?.inlineScriptHashes ?? [])].join(" ")],
    // Built CSS is files; the dev server injects each module's CSS as a <style> element.
    ["style-src", dev ? "'self' 'unsafe-inline'" : "'self'"],
    // The docs' charts are inlined as data: URLs; an injected script's GET /record is an image.
    ["img-src", `'self' data: ${attackers}`.trim()],
    // The API is same-origin (the proxy); the labs read and feed the attacker's recorder.
    ["connect-src", `'self' ${dev?.socketOrigin ?? ""} ${attackers}`.replace(/\s+/g, " ").trim()],
    // Only the labs frame anything: the attacker's forging page.
    ["frame-src", attackers || "'none'"],
    // Every form is handled by script; none may post anywhere, least of all to another site.
    ["form-action", "'self'"],
    // No other page may frame the shop (clickjacking); nor plugins, nor a <base> that moves URLs.
    ["frame-ancestors", "'none'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
  ];
  return directives.map(([name, value]) => `${name} ${value}`).join("; ");
}

/** The policy for a `<meta http-equiv>` tag, which cannot carry `frame-ancestors`. */
export function metaPolicy(policy: string): string {
  return policy
    .split("; ")
    .filter((directive) => !directive.startsWith("frame-ancestors "))
    .join("; ");
}

/** `'sha256-…'` of each inline `<script>` body in `html`, for `script-src`. */
export function inlineScriptHashes(html: string): string[] {
  const bodies = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((match) => match[1] ?? "")
    .filter((body) => body.trim() !== "");
  return bodies.map((body) => `'sha256-${createHash("sha256").update(body).digest("base64")}'`);
}

/**
 * Whether this Vite run makes or serves a build for real use: Vite's production mode (the default
 * of `vite build` and `vite preview`), or NODE_ENV=production. The dev server (`npm start`) and
 * the tests are demo runs.
 */
export function isProductionBuild(mode: string, nodeEnv: string | undefined): boolean {
  return mode === "production" || nodeEnv === "production";
}

/**
 * Reads `ATTACKER_ORIGINS`: unset means the labs' two origins in a demo run and none in a
 * production build (a deployed shop must not let its pages reach a lab's attacker, even on
 * localhost), `none` (or empty) means none, and anything else must be a comma-separated list of
 * origins written as a browser writes them: the way a workshop's build opts in.
 */
export function parseAttackerOrigins(
  raw: string | undefined,
  { production }: { production: boolean },
): string[] {
  if (raw === undefined) return production ? [] : [...defaultAttackerOrigins];
  if (raw.trim() === "" || raw.trim() === "none") return [];
  return raw.split(",").map((item) => {
    const origin = item.trim();
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new Error(
        `ATTACKER_ORIGINS must list origins such as http://localhost:5174 (or be "none"), not "${origin}".`,
      );
    }
    return origin;
  });
}
