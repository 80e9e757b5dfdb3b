import { z } from "zod";
import { type WorkflowStep, workflowSteps } from "./values";

const allStepIds = [
  ...new Set([...workflowSteps.session, ...workflowSteps.jwt].map((step) => step.id)),
] as [WorkflowStep, ...WorkflowStep[]];

/** One thing the server did while answering a request, tagged with its workflow step. */
export const traceEntrySchema = z.object({
  step: z.enum(allStepIds),
  action: z.string(),
  outcome: z.enum(["ok", "fail", "info"]),
  detail: z.string().optional(),
});
export type TraceEntry = z.infer<typeof traceEntrySchema>;
export type TraceOutcome = TraceEntry["outcome"];

export const traceSchema = z.array(traceEntrySchema);

/** Header values must be ASCII, so anything else is escaped as JSON `\uXXXX`. */
export function encodeTrace(entries: readonly TraceEntry[]): string {
  return JSON.stringify(entries).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Reads an `X-Auth-Trace` header; a missing or garbled one reads as no steps. */
export function decodeTrace(header: string | null | undefined): TraceEntry[] {
  if (!header) return [];
  try {
    const parsed = traceSchema.safeParse(JSON.parse(header));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
