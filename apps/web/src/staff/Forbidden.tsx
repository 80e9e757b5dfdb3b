import type { AuthMode, User } from "@repo/contract";

/** Where each backend found the role it just refused. */
const roleSource: Record<AuthMode, string> = {
  session:
    "The session backend looked your session up, then read your role from the store on this very request: a role a staff member gives you counts at your next request.",
  jwt: "The JWT backend checked your access token's signature and trusted its role claim, written when the token was signed: a role a staff member gives you reaches the token only at its next refresh (or your next login).",
};

/**
 * The 403 `forbidden` explained, instead of a blank page: the two questions of the lesson, which
 * one passed and which one failed, and where the answer came from in this mode.
 */
export function Forbidden({
  mode,
  user,
  roleCheck,
}: {
  mode: AuthMode;
  user: User;
  /** The server's own words for the check, from the request's trace. */
  roleCheck: string | undefined;
}) {
  return (
    <div className="forbidden" role="alert" data-code="forbidden">
      <h2>403 forbidden: staff only</h2>
      <p>
        <strong>Authentication passed.</strong> The server knows who you are: {user.displayName} (
        <code>{user.username}</code>). That answers the first question, "Who are you?", and a
        failure there would have been 401 (log in again).
      </p>
      <p>
        <strong>Authorization failed.</strong> The second question is "What may you do?". The staff
        routes answer only the role <code>staff</code>, and the role the server read for you is not
        staff (this page last heard <code>{user.role}</code>). So the server said 403: logging in
        again would not help, since who you are is not in doubt.
      </p>
      <p>{roleSource[mode]}</p>
      {roleCheck && (
        <p>
          The server's trace for this request: <span className="mono">{roleCheck}</span>
        </p>
      )}
      <p className="muted">
        To see the staff page, log in as <code>sam</code> (staff) in this mode, or have sam make you
        staff.
      </p>
    </div>
  );
}
