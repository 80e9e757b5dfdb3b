import { type AuthMode, type WorkflowStep, workflowSteps } from "@repo/contract";
import type { StepState } from "../app/modeStore";

const stateText: Record<StepState | "pending", string> = {
  ok: "done",
  fail: "failed",
  info: "noted",
  pending: "not yet",
};

/** The active mode's numbered workflow, lit by the server's trace and the client's own steps. */
export function Workflow({
  mode,
  steps,
  lastStep,
}: {
  mode: AuthMode;
  steps: Partial<Record<WorkflowStep, StepState>>;
  lastStep: WorkflowStep | null;
}) {
  return (
    <section className="panel" aria-labelledby="workflow-title">
      <h2 id="workflow-title">Workflow ({mode === "session" ? "session" : "JWT"})</h2>
      <ol className="workflow">
        {workflowSteps[mode].map((step) => {
          const state = steps[step.id] ?? "pending";
          return (
            <li
              key={step.id}
              data-step={step.id}
              data-state={state}
              aria-current={lastStep === step.id ? "step" : undefined}
            >
              <span className="step-label">{step.label}</span>
              <span className={`step-side step-side-${step.side}`}>{step.side}</span>
              <span className="visually-hidden">({stateText[state]})</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
