import type { AuthMode } from "@repo/contract";
import type { AttackerSite } from "./attacker";
import { LabApi, type LabRequest, LabStepFailed, type RecordSink } from "./http";

/**
 * How a row came out, for its colour and for tests; the verdict says it in words. `accepted`:
 * the server did what the lab asked (the copy worked, the session survived, all 50 kept);
 * `refused`: it did not; `mixed`: some of each; `unavailable`: the lab could not run it here.
 */
export type RowOutcome = "refused" | "accepted" | "mixed" | "unavailable";

/** One row of a lab's table: one backend mode (or variant), what it sent and what it came to. */
export interface LabRow {
  /** Stable across runs: `session`, `jwt`, `jwt-denylist`, … */
  key: string;
  label: string;
  mode: AuthMode;
  requests: LabRequest[];
  /** One line, computed from the answers above: never written before the run. */
  verdict: string;
  outcome: RowOutcome;
}

/** What a lab needs from the page it runs in. */
export interface LabContext {
  /** Hands each request to the inspector of its mode. */
  sink: RecordSink;
  attacker: AttackerSite;
  /** Says what the lab is doing now, for the page to show while it runs. */
  progress?: (text: string) => void;
}

/** Where a lab's lesson is explained: a region of the code and a section of the docs. */
export interface CodeRef {
  path: string;
  region: string;
}

export interface Lab {
  id: LabId;
  title: string;
  /** The question the lab answers, in one paragraph. */
  question: string;
  code: CodeRef[];
  /** The section of docs/08-labs.md that walks through it (its heading's anchor). */
  docsAnchor: string;
  /** How to do the same by hand: steps, and commands to paste. */
  byHand: { steps: string[]; commands?: string };
  /** Something the lab needs that may be missing, said before it runs. */
  needs?: string;
  run(context: LabContext): Promise<LabRow[]>;
  /**
   * The rows of one mode alone, for a lab whose modes need nothing from each other (the
   * Compare page runs the two at once).
   */
  runInMode?: (mode: AuthMode, context: LabContext) => Promise<LabRow[]>;
}

export const labIds = [
  "replay",
  "xss",
  "tamper",
  "csrf",
  "restart",
  "expiry",
  "lost-updates",
  "authorization",
  "scale-out",
] as const;
export type LabId = (typeof labIds)[number];

/** What a row's body works out: its verdict and outcome, from the answers it got. */
export interface RowResult {
  verdict: string;
  outcome: RowOutcome;
}

/**
 * Runs one row with its own LabApi, so the row lists exactly the requests it made. A step the
 * row cannot do without (a refused login, a backend that is down) ends the row with the reason,
 * never the whole lab: the other rows still run.
 */
export async function runRow(
  context: LabContext,
  row: { key: string; label: string; mode: AuthMode },
  body: (api: LabApi) => Promise<RowResult>,
): Promise<LabRow> {
  const api = new LabApi(row.mode, context.sink);
  context.progress?.(`${row.label}…`);
  try {
    const result = await body(api);
    return { ...row, requests: api.requests, ...result };
  } catch (error) {
    if (!(error instanceof LabStepFailed)) throw error;
    return {
      ...row,
      requests: api.requests,
      verdict: `Could not run: ${error.message}`,
      outcome: "unavailable",
    };
  }
}

/** "401 unauthenticated", "200", "no answer": a status as verdicts quote it. */
export function statusText(request: LabRequest | undefined): string {
  if (!request) return "not sent";
  if (request.opaque) return "sent, answer opaque";
  if (request.status === 0) return "no answer";
  return request.errorCode ? `${request.status} ${request.errorCode}` : String(request.status);
}
