import { type AuthMode, authModes } from "@repo/contract";
import { useEffect, useState } from "react";
import { type AppModel, useModeState } from "../app/model";
import { dataOf } from "../app/modeStore";
import { Inspector } from "../inspector/Inspector";
import { ErrorMessage } from "../shop/ErrorMessage";
import { type CompareAction, compareActions, runInBoth } from "./compareActions";
import "./compare.css";

const titles: Record<AuthMode, string> = {
  session: "Session: a cookie, and a row on the server",
  jwt: "JWT: a signed token the page carries",
};

/**
 * One action, both modes at once: the two workflows, credentials and server states side by side,
 * so the difference is seen without toggling. Each mode keeps its own login, as on the shop pages.
 */
export function ComparePage({ model }: { model: AppModel }) {
  const [running, setRunning] = useState<string | null>(null);
  const actions = compareActions();

  useEffect(() => {
    // Both modes answer "who am I?" on arrival: a reload here is an action of its own.
    for (const mode of authModes) void model.stores[mode].restore();
  }, [model]);

  async function run(action: CompareAction) {
    setRunning(action.id);
    try {
      await runInBoth(action, model.stores);
    } finally {
      setRunning(null);
    }
  }

  return (
    <section className="compare" aria-labelledby="compare-title">
      <h1 id="compare-title">Compare: one action, both modes</h1>
      <p className="compare-intro">
        Each button runs in session mode and in JWT mode at the same time. Watch the two workflows
        light up step by step, then press Replay in either to walk through it again.
      </p>
      <fieldset className="compare-actions">
        <legend>Run in both modes</legend>
        {actions.map((action) => (
          <button
            key={action.id}
            type="button"
            disabled={running !== null}
            onClick={() => void run(action)}
          >
            {running === action.id ? `${action.label}…` : action.label}
          </button>
        ))}
        <button
          type="button"
          className="secondary"
          disabled={running !== null}
          // A real reload: what each mode keeps across it is the lesson (a cookie; a token in
          // memory is lost and the refresh cookie gets a new one).
          onClick={() => window.location.reload()}
        >
          Reload the page
        </button>
      </fieldset>
      <div className="compare-grid">
        {authModes.map((mode) => (
          <CompareColumn key={mode} mode={mode} model={model} />
        ))}
      </div>
    </section>
  );
}

function CompareColumn({ mode, model }: { mode: AuthMode; model: AppModel }) {
  const store = model.stores[mode];
  const state = useModeState(store);
  const cart = state.auth === "loggedIn" ? dataOf(state.cart) : undefined;
  const titleId = `compare-${mode}-title`;
  return (
    <section className={`compare-column mode-${mode}`} aria-labelledby={titleId} data-mode={mode}>
      <h2 id={titleId}>{titles[mode]}</h2>
      <p className="compare-status" data-testid={`compare-status-${mode}`}>
        {state.auth === "loggedIn" && state.user
          ? `Logged in as ${state.user.displayName}; cart: ${cart?.itemCount ?? "…"} item${cart?.itemCount === 1 ? "" : "s"}.`
          : state.auth === "anonymous"
            ? "Not logged in."
            : "Asking the server who this is…"}
      </p>
      {state.notice && (
        <ErrorMessage error={state.notice} mode={mode} onDismiss={() => store.dismissNotice()} />
      )}
      {state.cart.status === "error" && <ErrorMessage error={state.cart.error} mode={mode} />}
      <Inspector
        store={store}
        state={state}
        tokens={model.tokens}
        player={model.players[mode]}
        headingLevel={3}
      />
    </section>
  );
}
