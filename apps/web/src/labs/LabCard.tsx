import { useId, useState } from "react";
import { DocsExcerpt, labsChapter } from "./DocsExcerpt";
import type { RecordSink } from "./http";
import type { Lab, LabRow } from "./lab";
import { ResultTable } from "./ResultTable";
import { TokenEditor } from "./TokenEditor";

export interface LabCardProps {
  lab: Lab;
  /** When this browser last ran it (ISO time), if ever. */
  ranAt: string | undefined;
  /** Another lab is running: the servers' settings are shared, so one at a time. */
  busy: boolean;
  running: boolean;
  progress: string;
  rows: LabRow[] | undefined;
  error: string | undefined;
  onRun: () => void;
  sink: RecordSink;
}

/** One lab: its question, the Run button, the result table, and where to read more. */
export function LabCard(props: LabCardProps) {
  const { lab, ranAt, busy, running, progress, rows, error, onRun, sink } = props;
  const titleId = useId();
  const [docsOpen, setDocsOpen] = useState(false);
  return (
    <section id={`lab-${lab.id}`} className="lab panel" aria-labelledby={titleId} data-lab={lab.id}>
      <h2 id={titleId}>{lab.title}</h2>
      {ranAt && (
        <p className="lab-ran" data-testid="lab-ran">
          ✓ Run in this browser on {new Date(ranAt).toLocaleString()}
        </p>
      )}
      <p>{lab.question}</p>
      {lab.needs && <p className="muted">Needs: {lab.needs}</p>}
      <p className="lab-run">
        <button type="button" onClick={onRun} disabled={busy}>
          Run
        </button>{" "}
        <span role="status" className="muted">
          {running ? progress || "Running…" : ""}
        </span>
      </p>
      {error && <p role="alert">{error}</p>}
      {rows && <ResultTable title={lab.title} rows={rows} instances={lab.id === "scale-out"} />}
      {lab.id === "tamper" && <TokenEditor sink={sink} />}
      <details className="lab-more" onToggle={(e) => setDocsOpen(e.currentTarget.open)}>
        <summary>Where the code and the docs explain it</summary>
        <ul>
          {lab.code.map((ref) => (
            <li key={`${ref.path}#${ref.region}`}>
              <code>{ref.path}</code>, region <code>{ref.region}</code>
            </li>
          ))}
          <li>
            <code>docs/{labsChapter}</code>, section “{lab.title}”, below (and in the Docs panel)
          </li>
        </ul>
        {docsOpen && <DocsExcerpt anchor={lab.docsAnchor} />}
      </details>
      <details className="lab-more">
        <summary>Do it by hand</summary>
        <ol>
          {lab.byHand.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        {lab.byHand.commands && <pre className="lab-commands">{lab.byHand.commands}</pre>}
      </details>
    </section>
  );
}
