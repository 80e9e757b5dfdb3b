import type { JwtDemoState, SessionDemoState, User } from "@repo/contract";
import type { RequestRecord } from "../api/client";
import type { Loadable } from "../app/modeStore";
import { SessionRowRole } from "../staff/RoleNotes";
import { fullTime } from "./time";
import { useNow } from "./useNow";

type DemoState = SessionDemoState | JwtDemoState;
type RefreshRow = JwtDemoState["refreshTokens"][number];

/** Which shortened session ids this browser's requests were traced with. */
function ownSessionIds(
  sessions: SessionDemoState["sessions"],
  requests: readonly RequestRecord[],
  user: User | null,
): Set<string> {
  const details = requests
    .flatMap((record) => record.trace.map((entry) => entry.detail ?? ""))
    .join("\n");
  const byTrace = sessions.filter((row) => {
    const prefix = row.id.replace(/…$/, "");
    return prefix.length >= 4 && details.includes(prefix);
  });
  if (byTrace.length > 0) return new Set(byTrace.slice(0, 1).map((row) => row.id));
  // The cookie is unreadable here, so fall back to the user's row, but only when there is just one:
  // with two, the other could be another browser, and guessing would call it "you".
  const usersRows = sessions.filter((row) => user !== null && row.userId === user.id);
  return new Set(usersRows.length === 1 ? usersRows.map((row) => row.id) : []);
}

/** Stateful vs stateless at a glance: what each side holds right now. */
export function ServerKeeps({
  demo,
  requests,
  user,
  tokenPlace,
  tokenHeld,
}: {
  demo: Loadable<DemoState>;
  requests: readonly RequestRecord[];
  user: User | null;
  tokenPlace: string;
  /** Whether the JWT client holds an access token right now (after logout it does not). */
  tokenHeld: boolean;
}) {
  // Relative times ("in 7 days") move on while the panel is open.
  const now = useNow(15_000);
  if (demo.status === "idle" || (demo.status === "loading" && !demo.data)) {
    return <p className="muted">Asking the server what it keeps…</p>;
  }
  if (demo.status === "error") {
    return <p className="warning">Could not read the server's state: {demo.error.message}</p>;
  }
  const state = demo.data;
  if (!state) return null;
  return state.mode === "session" ? (
    <SessionKeeps state={state} own={ownSessionIds(state.sessions, requests, user)} now={now} />
  ) : (
    <JwtKeeps state={state} user={user} browser={{ tokenPlace, tokenHeld }} now={now} />
  );
}

function SessionKeeps({
  state,
  own,
  now,
}: {
  state: SessionDemoState;
  own: Set<string>;
  now: number;
}) {
  const total = state.sessions.length + state.otherSessions;
  return (
    <>
      <dl className="keeps">
        <dt>Server</dt>
        <dd>
          <strong>{total}</strong> session row{total === 1 ? "" : "s"} in <code>{state.store}</code>
          : who you are lives here, one row per logged-in browser
          {state.otherSessions > 0 && ` (${state.otherSessions} of other users, only counted)`}.
        </dd>
        <dt>Browser</dt>
        <dd>only an opaque id, in an HttpOnly cookie it sends by itself.</dd>
      </dl>
      <table className="state-table" aria-label="Session table on the server">
        <thead>
          <tr>
            <th scope="col">Session id</th>
            <th scope="col">User</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {state.sessions.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {state.otherSessions > 0
                  ? "None of yours: other users' sessions are only counted."
                  : "No sessions: nobody is logged in."}
              </td>
            </tr>
          )}
          {state.sessions.map((row) => (
            <tr
              key={row.id}
              className={own.has(row.id) ? "own-row" : undefined}
              data-own={own.has(row.id)}
            >
              <td className="mono">
                {row.id}
                {own.has(row.id) && <span className="tag">you</span>}
              </td>
              <td>
                {row.username ?? "—"}
                <SessionRowRole role={row.role} />
              </td>
              <td>{fullTime(row.createdAt, now)}</td>
              <td>{fullTime(row.expiresAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** What the browser holds in JWT mode, as far as this page can know it. */
function jwtBrowserHolds(tokenHeld: boolean, tokenPlace: string, loggedIn: boolean): string {
  if (tokenHeld) {
    return `the whole signed access token (${tokenPlace}) and the refresh token in an HttpOnly cookie.`;
  }
  if (loggedIn) {
    return "no access token right now; the refresh token in its HttpOnly cookie gets a new one.";
  }
  return "nothing: the page dropped its access token, and logout cleared the refresh cookie. A copy of the access token made before logout still works until its exp.";
}

function JwtKeeps({
  state,
  user,
  browser,
  now,
}: {
  state: JwtDemoState;
  user: User | null;
  browser: { tokenPlace: string; tokenHeld: boolean };
  now: number;
}) {
  const active = state.refreshTokens.filter((row) => row.status === "active").length;
  const families = familiesOf(state.refreshTokens);
  return (
    <>
      <dl className="keeps">
        <dt>Server</dt>
        <dd>
          <strong>{state.accessTokensKept}</strong> access tokens (it checks the signature instead),{" "}
          {active} active refresh token{active === 1 ? "" : "s"} of yours
          {state.otherRefreshTokens > 0 && ` (and ${state.otherRefreshTokens} of other users)`} in{" "}
          <code>{state.store}</code>, denylist{" "}
          {state.denylistEnabled ? `on (${state.denylist.length})` : "off"}; signs with{" "}
          <code>{state.algorithm}</code>.
        </dd>
        <dt>Browser</dt>
        <dd data-testid="jwt-browser-holds">
          {jwtBrowserHolds(browser.tokenHeld, browser.tokenPlace, user !== null)}
        </dd>
      </dl>
      {families.length === 0 ? (
        <p className="muted">
          {state.otherRefreshTokens > 0
            ? "None of yours: other users' refresh tokens are only counted."
            : "No refresh tokens."}
        </p>
      ) : (
        families.map(({ family, rows }) => (
          <RefreshFamily key={family} family={family} rows={rows} user={user} now={now} />
        ))
      )}
    </>
  );
}

/** Refresh tokens by family, each family oldest first: its rotation chain. */
function familiesOf(rows: readonly RefreshRow[]): { family: string; rows: RefreshRow[] }[] {
  const byFamily = new Map<string, RefreshRow[]>();
  for (const row of rows) byFamily.set(row.family, [...(byFamily.get(row.family) ?? []), row]);
  return [...byFamily].map(([family, members]) => ({
    family,
    rows: members.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt)),
  }));
}

/** One login's refresh tokens: each rotation retires a token and issues its successor. */
function RefreshFamily({
  family,
  rows,
  user,
  now,
}: {
  family: string;
  rows: RefreshRow[];
  user: User | null;
  now: number;
}) {
  const rotations = rows.filter((row) => row.status === "rotated").length;
  const revoked = rows.some((row) => row.status === "revoked");
  return (
    <div className="refresh-family" data-family={family}>
      <p className="family-head">
        Family <code>{family}</code> ({rows[0]?.username ?? rows[0]?.userId}): one login,{" "}
        {rotations === 0
          ? "not rotated yet"
          : `rotated ${rotations === 1 ? "once" : `${rotations} times`}`}
        {revoked && ", revoked: every token of it is dead"}.
      </p>
      <ol className="rotation-chain" aria-label={`Rotation chain of family ${family}`}>
        {rows.map((row) => (
          <li key={row.id} data-status={row.status}>
            <code>{row.id}</code>{" "}
            <span className={`token-status status-${row.status}`}>{row.status}</span>
          </li>
        ))}
      </ol>
      <table className="state-table" aria-label={`Refresh tokens of family ${family}`}>
        <thead>
          <tr>
            <th scope="col">Refresh token</th>
            <th scope="col">Status</th>
            <th scope="col">Issued</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const own = user !== null && row.userId === user.id && row.status === "active";
            return (
              <tr key={row.id} className={own ? "own-row" : undefined} data-own={own}>
                <td className="mono">{row.id}</td>
                <td>{row.status}</td>
                <td>{fullTime(row.issuedAt, now)}</td>
                <td>{fullTime(row.expiresAt, now)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
