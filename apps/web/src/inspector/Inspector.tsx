import { apiPrefix, sessionCookieName } from "@repo/contract";
import type { TokenStore } from "../api/tokenStore";
import { useTokens } from "../app/model";
import type { ModeState, ModeStore } from "../app/modeStore";
import { RequestLog } from "./RequestRow";
import { ServerKeeps } from "./ServerKeeps";
import { TokenStorageSetting, TokenView } from "./TokenView";
import { Workflow } from "./Workflow";

/** The session mode's credential: a cookie this page can prove it cannot read. */
function SessionCredential() {
  const visible = document.cookie;
  return (
    <div className="cookie-view">
      <p>
        <code>{sessionCookieName}</code> cookie: <strong>HttpOnly</strong>, so JavaScript cannot
        read it; the browser sends it by itself on every request under{" "}
        <code>{apiPrefix.session}</code>.
      </p>
      <p className="mono">
        document.cookie = {visible ? JSON.stringify(visible) : '"" (nothing readable)'}
      </p>
    </div>
  );
}

/** Everything the attendee watches while clicking through the shop, for the active mode. */
export function Inspector({
  store,
  state,
  tokens,
}: {
  store: ModeStore;
  state: ModeState;
  tokens: TokenStore;
}) {
  const mode = store.mode;
  const { token, kind } = useTokens(tokens);
  return (
    <div className="inspector" data-mode={mode}>
      <Workflow mode={mode} steps={state.steps} lastStep={state.lastStep} />
      <section className="panel" aria-labelledby="credential-title">
        <h2 id="credential-title">
          {mode === "session"
            ? "What proves identity: a cookie"
            : "What proves identity: the token"}
        </h2>
        {mode === "session" ? (
          <SessionCredential />
        ) : (
          <>
            <TokenView token={token} />
            <TokenStorageSetting value={kind} onChange={(next) => tokens.setKind(next)} />
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="keeps-title">
        <h2 id="keeps-title">What the server keeps</h2>
        <ServerKeeps
          demo={state.demo}
          requests={state.requests}
          user={state.user}
          tokenPlace={kind === "memory" ? "in memory" : "in localStorage"}
        />
      </section>
      <RequestLog requests={state.requests} />
    </div>
  );
}
