import type { AuthMode, WorkflowStep } from "@repo/contract";
import type { ComponentType } from "react";

/**
 * What the docs panel (built in `src/docs/`) receives: the mode on screen and the workflow
 * steps lit so far, the last one being what the user just did. Wire it in `main.tsx` with
 * `<App docsPanel={DocsPanel} />`; without it the slot is not rendered.
 */
export interface DocsPanelProps {
  mode: AuthMode;
  activeStep: WorkflowStep | null;
  litSteps: readonly WorkflowStep[];
  /** Changes each time a replay starts: the panel goes back to the mode's chapter and follows. */
  showStepsRequest?: number;
}

export type DocsPanelComponent = ComponentType<DocsPanelProps>;
