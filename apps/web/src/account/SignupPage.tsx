import { maxDisplayNameLength, maxPasswordLength, maxUsernameLength } from "@repo/contract";
import { type FormEvent, useState } from "react";
import type { ApiError } from "../api/client";
import type { ModeState, ModeStore } from "../app/modeStore";
import { Link, navigate } from "../app/router";
import { FormError } from "./FormError";
import { PasswordRules } from "./PasswordRules";
import "./account.css";

const modeNames = { session: "session cookie", jwt: "JWT" } as const;

/** Sign-up: a new customer account, logged in at once in this mode, as after a login. */
export function SignupPage({ store, state }: { store: ModeStore; state: ModeState }) {
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const failure = await store.signup({ username, displayName, password });
    setBusy(false);
    if (failure) setError(failure);
    else navigate({ page: "account", mode: store.mode });
  }

  if (state.auth === "loggedIn" && state.user) {
    return (
      <section aria-labelledby="signup-title">
        <h1 id="signup-title">Sign up</h1>
        <p>
          You are logged in as {state.user.displayName}. Log out first to create another account, or
          see <Link to={{ page: "account", mode: store.mode }}>your account</Link>.
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="signup-title" className="login">
      <h1 id="signup-title">Sign up ({modeNames[store.mode]})</h1>
      <p className="muted">
        A new customer account in the shop's store, the same in both modes; you are then logged in
        here as after a login.
      </p>
      <form onSubmit={(event) => void submit(event)} className="login-form">
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            maxLength={maxUsernameLength}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label>
          Display name
          <input
            name="displayName"
            autoComplete="nickname"
            required
            maxLength={maxDisplayNameLength}
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
          />
        </label>
        <label>
          Password
          {/* The rules are checked by the server, which says which one failed: no minLength here. */}
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            maxLength={maxPasswordLength}
            aria-describedby="signup-password-rules"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <PasswordRules id="signup-password-rules" />
        <button type="submit" disabled={busy}>
          {busy ? "Creating the account…" : "Sign up"}
        </button>
      </form>
      {error && <FormError error={error} mode={store.mode} />}
      <p>
        Have an account? <Link to={{ page: "login", mode: store.mode }}>Log in</Link>.
      </p>
    </section>
  );
}
