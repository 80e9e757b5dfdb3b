import { z } from "zod";
import type { AuthMode } from "./auth";

/**
 * The numbered steps of each mode's workflow, as the web app lights them up.
 * Steps marked "client" happen in the browser; the server traces the rest.
 */
export const workflowSteps = {
  session: [
    { id: "post_credentials", label: "Post credentials", side: "client" },
    { id: "verify_password", label: "Verify the password", side: "server" },
    { id: "store_session", label: "Store a session", side: "server" },
    { id: "issue_cookie", label: "Issue the cookie", side: "server" },
    { id: "send_cookie", label: "Browser sends the cookie", side: "client" },
    { id: "lookup_session", label: "Look the session up", side: "server" },
    { id: "destroy_session", label: "Destroy it at logout", side: "server" },
  ],
  jwt: [
    { id: "post_credentials", label: "Post credentials", side: "client" },
    { id: "verify_password", label: "Verify the password", side: "server" },
    { id: "sign_token", label: "Sign a token", side: "server" },
    { id: "return_token", label: "Return the token", side: "server" },
    { id: "store_token", label: "Client stores the token", side: "client" },
    { id: "send_header", label: "Client sends it in the header", side: "client" },
    { id: "verify_token", label: "Verify the signature", side: "server" },
    { id: "clear_token", label: "Clear it at logout", side: "client" },
  ],
} as const satisfies Record<AuthMode, readonly { id: string; label: string; side: string }[]>;

export type SessionWorkflowStep = (typeof workflowSteps.session)[number]["id"];
export type JwtWorkflowStep = (typeof workflowSteps.jwt)[number]["id"];
export type WorkflowStep = SessionWorkflowStep | JwtWorkflowStep;

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
