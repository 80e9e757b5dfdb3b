import { apiPrefix, sessionCookieName } from "@repo/contract";
import { useId } from "react";
import type { RequestRecord } from "../api/client";
import type { TokenStore } from "../api/tokenStore";
import { usePlayerView, useTokens } from "../app/model";
import type { ModeState, ModeStore } from "../app/modeStore";
import type { StepPlayer } from "../app/stepPlayer";
import { CopyButton } from "./CopyButton";
import { RequestLog } from "./RequestRow";
import { ServerKeeps } from "./ServerKeeps";
import { TokenStorageSetting, TokenView } from "./TokenView";
import { Workflow } from "./Workflow";

/** The start of the cookie the server last read, as its trace tells it (never the whole id). */
function cookieSeen(requests: readonly RequestRecord[]): string | undefined {
  for (const record of requests) {
    const read = record.trace.find((entry) => entry.step === "send_cookie" && entry.detail);
    if (read?.detail) return read.detail;
  }
  return undefined;
}

/**
 * The session mode's credential: a cookie this page can prove it cannot read. So there is no
 * button to copy its value, and saying so is the lesson; the way to get it is the browser's own
 * developer tools, where HttpOnly hides nothing from the person at the keyboard.
 */
function SessionCredential({ requests }: { requests: readonly RequestRecord[] }) {
  const visible = document.cookie;
  const seen = cookieSeen(requests);
  const replay = `curl -i ${window.location.origin}${apiPrefix.session}/cart -H "Cookie: ${sessionCookieName}=<the value from the developer tools>"`;
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
      {seen && (
        <p>
          The server read <code>{seen}</code> (its start, from the trace: a whole id is a credential
          and is never shown).
        </p>
      )}
      <p className="muted">
        No Copy button for its value: this page cannot read it, and that is the point. To copy it,
        open the developer tools, <em>Application</em>, <em>Cookies</em>,{" "}
        <code>{sessionCookieName}</code>.
      </p>
      <p className="copy-row">
        <CopyButton text={replay} label="Copy a curl to replay it" />
      </p>
    </div>
  );
}

/** Everything the attendee watches while clicking through the shop, for one mode. */
export function Inspector({
  store,
  state,
  tokens,
  player,
  headingLevel = 2,
  projector = false,
}: {
  store: ModeStore;
  state: ModeState;
  tokens: TokenStore;
  player: StepPlayer;
  headingLevel?: 2 | 3;
  /** For the front of the room: the workflow, the credential and the server, no request log. */
  projector?: boolean;
}) {
  const mode = store.mode;
  const { token, kind } = useTokens(tokens);
  const view = usePlayerView(player);
  const credentialId = useId();
  const keepsId = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="inspector" data-mode={mode}>
      <Workflow
        mode={mode}
        steps={view.steps}
        view={view}
        controls={{ player, resetLights: () => store.resetLights() }}
        headingLevel={headingLevel}
      />
      <section className="panel" aria-labelledby={credentialId}>
        <Heading id={credentialId}>
          {mode === "session"
            ? "What proves identity: a cookie"
            : "What proves identity: the token"}
        </Heading>
        {mode === "session" ? (
          <SessionCredential requests={state.requests} />
        ) : (
          <>
            <TokenView token={token} />
            {!projector && (
              <TokenStorageSetting value={kind} onChange={(next) => tokens.setKind(next)} />
            )}
          </>
        )}
      </section>
      <section className="panel" aria-labelledby={keepsId}>
        <Heading id={keepsId}>What the server keeps</Heading>
        <ServerKeeps
          demo={state.demo}
          requests={state.requests}
          user={state.user}
          tokenPlace={kind === "memory" ? "in memory" : "in localStorage"}
          tokenHeld={token !== null}
        />
      </section>
      {!projector && <RequestLog requests={state.requests} headingLevel={headingLevel} />}
    </div>
  );
}
