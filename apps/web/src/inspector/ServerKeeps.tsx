import type { JwtDemoState, SessionDemoState, User } from "@repo/contract";
import type { RequestRecord } from "../api/client";
import type { Loadable } from "../app/modeStore";

type DemoState = SessionDemoState | JwtDemoState;

function time(iso: string | null): string {
  return iso ? new Date(iso).toLocaleTimeString() : "—";
}

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
}: {
  demo: Loadable<DemoState>;
  requests: readonly RequestRecord[];
  user: User | null;
  tokenPlace: string;
}) {
  if (demo.status === "idle" || (demo.status === "loading" && !demo.data)) {
    return <p className="muted">Asking the server what it keeps…</p>;
  }
  if (demo.status === "error") {
    return <p className="warning">Could not read the server's state: {demo.error.message}</p>;
  }
  const state = demo.data;
  if (!state) return null;
  return state.mode === "session" ? (
    <SessionKeeps state={state} own={ownSessionIds(state.sessions, requests, user)} />
  ) : (
    <JwtKeeps state={state} user={user} tokenPlace={tokenPlace} />
  );
}

function SessionKeeps({ state, own }: { state: SessionDemoState; own: Set<string> }) {
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
              <td>{row.username ?? "—"}</td>
              <td>{time(row.createdAt)}</td>
              <td>{time(row.expiresAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function JwtKeeps({
  state,
  user,
  tokenPlace,
}: {
  state: JwtDemoState;
  user: User | null;
  tokenPlace: string;
}) {
  const active = state.refreshTokens.filter((row) => row.status === "active").length;
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
        <dd>
          the whole signed access token ({tokenPlace}) and the refresh token in an HttpOnly cookie.
        </dd>
      </dl>
      <table className="state-table" aria-label="Refresh tokens on the server">
        <thead>
          <tr>
            <th scope="col">Refresh token</th>
            <th scope="col">User</th>
            <th scope="col">Status</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {state.refreshTokens.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {state.otherRefreshTokens > 0
                  ? "None of yours: other users' refresh tokens are only counted."
                  : "No refresh tokens."}
              </td>
            </tr>
          )}
          {state.refreshTokens.map((row) => {
            const own = user !== null && row.userId === user.id && row.status === "active";
            return (
              <tr key={row.id} className={own ? "own-row" : undefined} data-own={own}>
                <td className="mono">{row.id}</td>
                <td>{row.username ?? row.userId}</td>
                <td>{row.status}</td>
                <td>{time(row.expiresAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
