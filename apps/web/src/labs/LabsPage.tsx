import type { AuthMode } from "@repo/contract";
import { useCallback, useMemo, useState } from "react";
import type { RequestRecord } from "../api/client";
import type { AppModel } from "../app/model";
import { attackerSite } from "./attacker";
import { type Checklist, clearChecklist, markRun, readChecklist } from "./checklist";
import type { RecordSink } from "./http";
import { LabCard } from "./LabCard";
import type { Lab, LabId, LabRow } from "./lab";
import { labs } from "./registry";
import { SettingsBar } from "./SettingsBar";
import "./compareLabs";
import "./labs.css";

type Result = { rows: LabRow[]; error?: undefined } | { rows?: undefined; error: string };

/**
 * The Labs page: each claim of the lesson performed live against both real backends, with the
 * demo settings in force always in view. Every request a lab makes also lands in the
 * inspector of its mode, as the shop's own requests do.
 */
export function LabsPage({ model }: { model: AppModel }) {
  const { stores } = model;
  const [checklist, setChecklist] = useState<Checklist>(() => readChecklist());
  const [running, setRunning] = useState<LabId | null>(null);
  const [progress, setProgress] = useState("");
  const [results, setResults] = useState<Partial<Record<LabId, Result>>>({});
  const [settingsKey, setSettingsKey] = useState(0);
  const attacker = useMemo(() => attackerSite(window.location), []);
  const sink: RecordSink = useCallback(
    (mode: AuthMode, record: RequestRecord) => stores[mode].logRequest(record),
    [stores],
  );

  const run = async (lab: Lab) => {
    setRunning(lab.id);
    setProgress("");
    try {
      const rows = await lab.run({ sink, attacker, progress: setProgress });
      setResults((before) => ({ ...before, [lab.id]: { rows } }));
      setChecklist(markRun(lab.id, new Date()));
    } catch (error) {
      console.error(error);
      const message = error instanceof Error ? error.message : String(error);
      setResults((before) => ({ ...before, [lab.id]: { error: `The lab stopped: ${message}` } }));
    } finally {
      setRunning(null);
      setSettingsKey((key) => key + 1);
      // The lab logged this browser in and out: each mode asks the server who is logged in now.
      void stores.session.recheck();
      void stores.jwt.recheck();
    }
  };

  return (
    <div className="labs-page">
      <h1>Labs</h1>
      <p>
        Each lab performs one claim of the lesson against both real backends and shows what each
        mode did: the requests, what the server's trace says, and a verdict worked out from the
        answers. Labs log in and out as the demo users in this browser, so your own login in the
        shop ends when one runs (a browser holds one session cookie per site, and each logout clears
        this site's cookies). Labs that change a setting put it back when they finish.
      </p>
      <SettingsBar sink={sink} refreshKey={settingsKey} />
      <nav aria-label="Labs" className="lab-checklist">
        <h2>Checklist</h2>
        <ul>
          {labs.map((lab) => (
            <li key={lab.id} data-done={checklist[lab.id] !== undefined}>
              <span aria-hidden="true">{checklist[lab.id] ? "✓" : "○"}</span>{" "}
              <a href={`#lab-${lab.id}`}>{lab.title}</a>
              <span className="visually-hidden">
                {checklist[lab.id] ? " (run in this browser)" : " (not run yet)"}
              </span>
            </li>
          ))}
        </ul>
        <button type="button" className="secondary" onClick={() => setChecklist(clearChecklist())}>
          Clear the checklist
        </button>
      </nav>
      {labs.map((lab) => (
        <LabCard
          key={lab.id}
          lab={lab}
          ranAt={checklist[lab.id]}
          busy={running !== null}
          running={running === lab.id}
          progress={progress}
          rows={results[lab.id]?.rows}
          error={results[lab.id]?.error}
          onRun={() => void run(lab)}
          sink={sink}
        />
      ))}
    </div>
  );
}
