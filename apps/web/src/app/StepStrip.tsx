import { type AuthMode, workflowSteps } from "@repo/contract";
import { OutcomeMark } from "../inspector/OutcomeMark";
import type { PlayerView } from "./stepPlayer";

/**
 * On a phone the workflow sits below the shop: this strip keeps the step just lit in sight at
 * the bottom of the screen, with a link down to the whole workflow.
 */
export function StepStrip({ mode, view }: { mode: AuthMode; view: PlayerView }) {
  const current = view.current;
  const label = workflowSteps[mode].find((step) => step.id === current?.step)?.label;
  return (
    <div className="step-strip" data-outcome={current?.outcome ?? "pending"}>
      {current && label ? (
        <p>
          Step {view.position}/{view.total}: <strong>{label}</strong>{" "}
          <OutcomeMark outcome={current.outcome} />
        </p>
      ) : (
        <p className="muted">No step yet: log in to start.</p>
      )}
      <a href="#inspector">Workflow</a>
    </div>
  );
}
