import { demoUsers } from "@repo/contract";
import { type FormEvent, useState } from "react";
import type { ApiError } from "../api/client";
import type { ModeState, ModeStore } from "../app/modeStore";
import { navigate } from "../app/router";
import { ErrorMessage } from "./ErrorMessage";

/** The login form, with the workshop's demo users one click away when the backend is in demo mode. */
export function LoginPage({ store, state }: { store: ModeStore; state: ModeState }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const failure = await store.login(username, password);
    setBusy(false);
    if (failure) setError(failure);
    else navigate({ page: "products", mode: store.mode });
  }

  if (state.auth === "loggedIn" && state.user) {
    return (
      <section aria-labelledby="login-title">
        <h1 id="login-title">Logged in</h1>
        <p>
          You are {state.user.displayName} in {store.mode === "session" ? "session" : "JWT"} mode.
        </p>
        <button type="button" onClick={() => void store.logout()}>
          Log out
        </button>
      </section>
    );
  }

  return (
    <section aria-labelledby="login-title" className="login">
      <h1 id="login-title">Log in ({store.mode === "session" ? "session cookie" : "JWT"})</h1>
      <form onSubmit={(event) => void submit(event)} className="login-form">
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
      {error && <ErrorMessage error={error} mode={store.mode} />}
      {/* Public workshop passwords: shown only by a backend that answers the demo state. */}
      {state.demo.status === "ready" && (
        <aside className="demo-users" aria-labelledby="demo-users-title">
          <h2 id="demo-users-title">Demo users for the workshop</h2>
          <ul>
            {demoUsers.map((user) => (
              <li key={user.username}>
                <code>{user.username}</code> / <code>{user.password}</code>{" "}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    setUsername(user.username);
                    setPassword(user.password);
                  }}
                >
                  Fill in {user.displayName}
                </button>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </section>
  );
}
