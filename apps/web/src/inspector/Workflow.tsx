import { type AuthMode, workflowSteps } from "@repo/contract";
import type { StepState, StepStates } from "../app/modeStore";
import type { PlayerView, StepPlayer } from "../app/stepPlayer";
import { OutcomeMark } from "./OutcomeMark";

/** The active mode's numbered workflow, lit by the server's trace and the client's own steps. */
export function Workflow({
  mode,
  steps,
  view,
  controls,
  headingLevel = 2,
}: {
  mode: AuthMode;
  steps: StepStates;
  /** What the step player points at; without one, nothing is marked as current. */
  view?: PlayerView;
  /** Replay and reset, when the workflow may be driven from here. */
  controls?: { player: StepPlayer; resetLights: () => void };
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const current = view?.current ?? null;
  const titleId = `workflow-title-${mode}`;
  return (
    <section className="panel workflow-panel" aria-labelledby={titleId}>
      <div className="panel-head">
        <Heading id={titleId}>Workflow ({mode === "session" ? "session" : "JWT"})</Heading>
        {controls && view && <ReplayControls view={view} {...controls} />}
      </div>
      <ol className="workflow">
        {workflowSteps[mode].map((step) => {
          const state: StepState | "pending" = steps[step.id] ?? "pending";
          return (
            <li
              key={step.id}
              data-step={step.id}
              data-state={state}
              aria-current={current?.step === step.id ? "step" : undefined}
            >
              <span className="step-label">{step.label}</span>
              <span className={`step-side step-side-${step.side}`}>{step.side}</span>
              <OutcomeMark outcome={state} />
            </li>
          );
        })}
      </ol>
      {current && (
        <p className="step-now" aria-live="polite" data-outcome={current.outcome}>
          <span className="step-now-position">
            {view?.replaying ? "Replay" : "Last"}: step {view?.position} of {view?.total}
          </span>{" "}
          {current.notes.length > 0 ? current.notes.join("; ") : "lit"}
        </p>
      )}
    </section>
  );
}

/** Replay the latest action one step at a time (with its docs section), and put lights out. */
function ReplayControls({
  view,
  player,
  resetLights,
}: {
  view: PlayerView;
  player: StepPlayer;
  resetLights: () => void;
}) {
  const nothing = view.total === 0;
  return (
    <div className="replay-controls">
      {view.replaying ? (
        <>
          <button type="button" className="secondary" onClick={() => player.step(-1)}>
            Previous
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => player.step(1)}
            disabled={view.position >= view.total}
          >
            Next
          </button>
          <button type="button" className="secondary" onClick={() => player.stop()}>
            Stop
          </button>
        </>
      ) : (
        <button
          type="button"
          className="secondary"
          onClick={() => player.replay()}
          disabled={nothing}
        >
          Replay
        </button>
      )}
      <button type="button" className="secondary" onClick={resetLights}>
        Reset lights
      </button>
    </div>
  );
}
