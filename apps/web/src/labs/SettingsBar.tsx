import type { JwtDemoSettingsResponse, SessionDemoSettingsResponse } from "@repo/contract";
import { useCallback, useEffect, useRef, useState } from "react";
import { LabApi, type RecordSink } from "./http";
import { jwtSettingsResponse, sessionSettingsResponse } from "./settings";

type Read<T> =
  | { status: "loading" }
  | { status: "ready"; data: T }
  | { status: "off"; why: string };

/** How often the bar asks again: on a shared workshop server someone else may change them. */
const pollMs = 5_000;
const silent: RecordSink = () => {};

async function readBoth(): Promise<{
  session: Read<SessionDemoSettingsResponse>;
  jwt: Read<JwtDemoSettingsResponse>;
}> {
  const [session, jwt] = await Promise.all([
    new LabApi("session", silent).send("GET", "/demo/settings"),
    new LabApi("jwt", silent).send("GET", "/demo/settings"),
  ]);
  const why = (status: number) =>
    status === 404 ? "no demo settings (demo mode off, or production)" : "not answering";
  return {
    session: sessionSettingsResponse(session.body)
      ? { status: "ready", data: session.body }
      : { status: "off", why: why(session.request.status) },
    jwt: jwtSettingsResponse(jwt.body)
      ? { status: "ready", data: jwt.body }
      : { status: "off", why: why(jwt.request.status) },
  };
}

/** A lifetime as people say it: "15 min" when it is whole minutes, else "90 s" (never rounded). */
export function formatLifetime(seconds: number): string {
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** A setting, marked when it is not the configured one. */
function Setting({ name, value, configured }: { name: string; value: string; configured: string }) {
  const changed = value !== configured;
  return (
    <span className="lab-setting" data-changed={changed}>
      {name}: <strong>{value}</strong>
      {changed && <span className="muted"> (configured: {configured})</span>}
    </span>
  );
}

/**
 * The demo settings in force in both backends, asked again every few seconds and after each
 * lab, with the Reset button that puts the configured ones back (docs/api.md, "Demo settings").
 */
export function SettingsBar({ sink, refreshKey }: { sink: RecordSink; refreshKey: number }) {
  const [read, setRead] = useState<Awaited<ReturnType<typeof readBoth>>>({
    session: { status: "loading" },
    jwt: { status: "loading" },
  });
  const [resetting, setResetting] = useState(false);

  // Polls overlap a reset: only the latest question's answer is shown, never an older one.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const asked = ++latest.current;
    const answer = await readBoth();
    if (asked === latest.current) setRead(answer);
  }, []);
  useEffect(() => {
    void refreshKey; // asked again after each lab run
    void load();
    const timer = setInterval(() => void load(), pollMs);
    return () => clearInterval(timer);
  }, [load, refreshKey]);

  const reset = async () => {
    setResetting(true);
    await Promise.all([
      new LabApi("session", sink).send("POST", "/demo/reset", { actor: "you" }),
      new LabApi("jwt", sink).send("POST", "/demo/reset", { actor: "you" }),
    ]);
    await load();
    setResetting(false);
  };

  const { session, jwt } = read;
  return (
    <section
      className="lab-settings"
      aria-label="Demo settings in force"
      data-testid="lab-settings"
    >
      <p>
        <strong>Session backend</strong>{" "}
        {session.status === "ready" ? (
          <Setting
            name="sessions in"
            value={session.data.settings.sessionStore}
            configured={session.data.configured.sessionStore}
          />
        ) : (
          <span className="muted">{session.status === "off" ? session.why : "asking…"}</span>
        )}
      </p>
      <p>
        <strong>JWT backend</strong>{" "}
        {jwt.status === "ready" ? (
          <>
            <Setting
              name="access tokens live"
              value={formatLifetime(jwt.data.settings.accessTokenTtlSeconds)}
              configured={formatLifetime(jwt.data.configured.accessTokenTtlSeconds)}
            />{" "}
            <Setting
              name="denylist"
              value={jwt.data.settings.denylist ? "on" : "off"}
              configured={jwt.data.configured.denylist ? "on" : "off"}
            />{" "}
            <Setting
              name="user cut-off"
              value={jwt.data.settings.userCutoff ? "on" : "off"}
              configured={jwt.data.configured.userCutoff ? "on" : "off"}
            />
          </>
        ) : (
          <span className="muted">{jwt.status === "off" ? jwt.why : "asking…"}</span>
        )}
      </p>
      <button type="button" className="secondary" onClick={() => void reset()} disabled={resetting}>
        Reset
      </button>
    </section>
  );
}
