import { type SessionDemoState, sessionCookieName, shortenSecret } from "@repo/contract";
import { maxDemoStateRows } from "@repo/shop";
import type { UserStore } from "@repo/store";
import { parse as parseCookies } from "cookie";
import { unsign } from "cookie-signature";
import type { Request } from "express";
import type { SessionData } from "express-session";
import type { SessionStoreHandle } from "./session-stores";
import { listSessions } from "./user-sessions";

/**
 * `GET /api/session/demo/state`: the session table as the server holds it right now, with ids
 * shortened and only the fields named in `shownData`, so the page shows nothing anyone could use.
 * Rows are shown only for the caller's own user (every browser it is logged in on); the others
 * are counted, since a workshop room can reach this page and must not learn who is logged in.
 */
export async function sessionDemoState(
  sessions: SessionStoreHandle,
  users: UserStore,
  callerSessionId: string | undefined,
): Promise<SessionDemoState> {
  const all = await listSessions(sessions.store);
  const callerUserId = all.find(([sid]) => sid === callerSessionId)?.[1].userId;
  const own = callerUserId === undefined ? [] : all.filter(([, d]) => d.userId === callerUserId);
  const stored = own
    .sort(([, a], [, b]) => (b.loggedInAtMs ?? 0) - (a.loggedInAtMs ?? 0))
    .slice(0, maxDemoStateRows);
  // Every row shown is the caller's: one lookup names them, with the role the gate reads from the
  // store on each request (the session keeps only the user id).
  const caller = stored.length > 0 && callerUserId ? await users.findUserById(callerUserId) : null;
  const rows = stored.map(([sid, data]) => ({
    id: shortenSecret(sid),
    userId: data.userId ?? null,
    username: caller?.username ?? null,
    role: caller?.role ?? null,
    createdAt: isoTime(data.loggedInAtMs),
    expiresAt: isoTime(data.cookie?.expires),
    absoluteExpiresAt: isoTime(data.absoluteExpiresAtMs),
    data: shownData(data),
  }));
  return {
    mode: "session",
    store: sessions.kind,
    sessions: rows,
    otherSessions: all.length - own.length,
  };
}

/**
 * The session id the request's `sid` cookie names, if one of `secrets` signed it. Read here
 * without express-session, so that reading the table neither touches nor renews the session.
 */
export function signedSessionId(req: Request, secrets: readonly string[]): string | undefined {
  const raw = parseCookies(req.headers.cookie ?? "")[sessionCookieName];
  if (!raw?.startsWith("s:")) return undefined;
  for (const secret of secrets) {
    const id = unsign(raw.slice(2), secret);
    if (id !== false) return id;
  }
  return undefined;
}

/**
 * What the page may see of a session: an allow-list, never "all but the secrets", since a store
 * may add fields of its own (connect-redis adds the full session id as `id`).
 */
function shownData(data: SessionData): Record<string, unknown> {
  const { cookie } = data;
  const shown = {
    userId: data.userId,
    loggedInAtMs: data.loggedInAtMs,
    loginCutOffMs: data.loginCutOffMs,
    absoluteExpiresAtMs: data.absoluteExpiresAtMs,
    cookie: cookie && {
      originalMaxAge: cookie.originalMaxAge,
      expires: cookie.expires,
      httpOnly: cookie.httpOnly,
      secure: cookie.secure,
      sameSite: cookie.sameSite,
      path: cookie.path,
    },
  };
  // Through JSON, as the response will be: undefined fields drop out, dates become strings.
  return JSON.parse(JSON.stringify(shown)) as Record<string, unknown>;
}

function isoTime(value: Date | string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}
