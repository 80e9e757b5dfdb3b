import { type AuthMode, maxPasswordLength } from "@repo/contract";
import { type FormEvent, useState } from "react";
import type { ApiError } from "../api/client";
import type { ModeState, ModeStore } from "../app/modeStore";
import { Link } from "../app/router";
import { FormError } from "./FormError";
import { PasswordRules } from "./PasswordRules";
import "./account.css";

/** What a password change did, in each mode's terms. */
const changedText: Record<AuthMode, string> = {
  session:
    "Password changed. The server moved this browser to a new session id and deleted every other session of yours, so any other browser logged in as you is logged out.",
  jwt: "Password changed. The server revoked every refresh token of yours and gave this tab new tokens; an access token issued before the change is refused where the server keeps a per-user cut-off, and otherwise lives until its exp.",
};

/** Where each backend reads the role from, the difference the staff page makes visible. */
const roleSource: Record<AuthMode, string> = {
  session: "what you may do; the server reads it from the store on every request",
  jwt: "what you may do; the server reads it from your access token's role claim, set at login or the last refresh",
};

/** What "log out everywhere" does, said before the click. */
const everywhereText: Record<AuthMode, string> = {
  session:
    "Deletes every session of yours on the server, this one included: every browser logged in as you is logged out at its next request.",
  jwt: "Revokes every refresh token of yours, so no browser can get a new access token. Access tokens already handed out are signed and self-contained: they still work until their exp, unless the server keeps a per-user cut-off (JWT_USER_CUTOFF=1).",
};

/** The logged-in user's own account: who they are, a new password, and ending every login. */
export function AccountPage({ store, state }: { store: ModeStore; state: ModeState }) {
  const [ended, setEnded] = useState(false);
  const [endError, setEndError] = useState<ApiError | null>(null);
  const [ending, setEnding] = useState(false);

  async function logoutEverywhere() {
    setEnding(true);
    setEndError(null);
    const failure = await store.logoutEverywhere();
    setEnding(false);
    if (failure) setEndError(failure);
    else setEnded(true);
  }

  if (state.auth === "unknown" || state.auth === "restoring") {
    return <p aria-busy="true">Checking who you are…</p>;
  }
  if (state.auth !== "loggedIn" || !state.user) {
    return (
      <section aria-labelledby="account-title">
        <h1 id="account-title">Account</h1>
        {ended && (
          <p className="status-line" role="status">
            Logged out everywhere.
          </p>
        )}
        {endError && <FormError error={endError} mode={store.mode} />}
        <p className="empty-state">
          No account to show: <Link to={{ page: "login", mode: store.mode }}>log in</Link> or{" "}
          <Link to={{ page: "signup", mode: store.mode }}>sign up</Link>.
        </p>
      </section>
    );
  }

  const { user } = state;
  return (
    <section aria-labelledby="account-title" className="account">
      <h1 id="account-title">Account</h1>
      <dl className="account-facts">
        <dt>Username</dt>
        <dd>
          <code>{user.username}</code>
        </dd>
        <dt>Display name</dt>
        <dd>{user.displayName}</dd>
        <dt>Role</dt>
        <dd>
          <code>{user.role}</code> <span className="muted">({roleSource[store.mode]})</span>
        </dd>
      </dl>
      <PasswordForm store={store} username={user.username} />
      <section aria-labelledby="everywhere-title" className="account-block">
        <h2 id="everywhere-title">Log out everywhere</h2>
        <p>{everywhereText[store.mode]}</p>
        <button type="button" disabled={ending} onClick={() => void logoutEverywhere()}>
          {ending ? "Logging out everywhere…" : "Log out everywhere"}
        </button>
        {endError && <FormError error={endError} mode={store.mode} />}
      </section>
    </section>
  );
}

function PasswordForm({ store, username }: { store: ModeStore; username: string }) {
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    const failure = await store.changePassword(currentPassword, newPassword);
    setBusy(false);
    if (failure) {
      setError(failure);
      return;
    }
    // Nothing secret stays in the page's state longer than it must.
    setCurrentPassword("");
    setNewPassword("");
    setDone(true);
  }

  return (
    <section aria-labelledby="password-title" className="account-block">
      <h2 id="password-title">Change the password</h2>
      <form onSubmit={(event) => void submit(event)} className="login-form">
        {/* The username, unseen, lets a password manager file the new password under it. */}
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={username}
          readOnly
          hidden
        />
        <label>
          Current password
          <input
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            maxLength={maxPasswordLength}
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.target.value)}
          />
        </label>
        <label>
          New password
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            maxLength={maxPasswordLength}
            aria-describedby="new-password-rules"
            value={newPassword}
            onChange={(event) => setNewPassword(event.target.value)}
          />
        </label>
        <PasswordRules id="new-password-rules" />
        <button type="submit" disabled={busy}>
          {busy ? "Changing…" : "Change the password"}
        </button>
      </form>
      {error && <FormError error={error} mode={store.mode} />}
      {done && (
        <p className="status-line" role="status">
          {changedText[store.mode]}
        </p>
      )}
    </section>
  );
}
