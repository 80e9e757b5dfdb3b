import type { AuthMode } from "@repo/contract";
import { type Actor, JwtActor, type LabAnswer, SessionActor } from "../http";
import { type LabContext, type LabRow, type RowResult, runRow } from "../lab";

// `npm run start:cluster` serves each API on its usual port through two instances, handing each
// new connection to the next (round-robin); every answer names its instance in `X-Instance`.
// The lab sends a burst of requests at once, so the browser opens several connections, and
// counts who answered what. Without the cluster one instance answers everything, and it says so.

/** How many requests at once: more than the 6 connections a browser opens per host. */
export const burst = 8;

export function scaleOutVerdict(
  mode: "session" | "jwt",
  answers: readonly LabAnswer[],
  sessionStore: string,
): RowResult {
  const instances = [...new Set(answers.map((answer) => answer.request.instance ?? "?"))].sort();
  const refused = answers.filter((answer) => answer.request.status === 401).length;
  if (instances.length < 2) {
    return {
      outcome: "unavailable",
      verdict: `One instance (${instances.join(", ")}) answered all ${answers.length}: the cluster is not running here. Start it with npm run start:cluster and run the lab again.`,
    };
  }
  const who = `${instances.length} instances (${instances.join(", ")}) answered`;
  if (mode === "jwt") {
    return refused === 0
      ? {
          outcome: "accepted",
          verdict: `${who}, and each checked the token by itself: access tokens need no shared state.`,
        }
      : { outcome: "mixed", verdict: `${who}; ${refused} of ${answers.length} refused the token.` };
  }
  return refused === 0
    ? {
        outcome: "accepted",
        verdict: `${who}, and every one found the session: ${sessionStore} is shared by all instances.`,
      }
    : {
        outcome: "refused",
        verdict: `${who}; ${refused} of ${answers.length} said 401: ${sessionStore} is not shared, so an instance that never saw the login does not know the session.`,
      };
}

function row(context: LabContext, mode: "session" | "jwt"): Promise<LabRow> {
  const label = mode === "session" ? "Session" : "JWT";
  return runRow(context, { key: mode, label, mode }, async (api) => {
    const health = await api.send("GET", "/health", { actor: "lab" });
    const store = (health.body as { store?: { sessions?: string } } | null)?.store?.sessions ?? "";
    const alice: Actor =
      mode === "session"
        ? await SessionActor.login(api, "alice", "wonderland42")
        : await JwtActor.login(api, "alice", "wonderland42");
    const answers = await Promise.all(
      Array.from({ length: burst }, () => alice.call("GET", "/cart")),
    );
    await alice.logout();
    const where = store === "memory" ? "each instance's own memory" : `the ${store} session store`;
    return scaleOutVerdict(mode, answers, store ? where : "the session store");
  });
}

/** Scale-out: which instance answered each request, in each mode. */
export async function runScaleOut(context: LabContext): Promise<LabRow[]> {
  return [await row(context, "session"), await row(context, "jwt")];
}

/** The scale-out lab in one mode. */
export async function runScaleOutInMode(mode: AuthMode, context: LabContext): Promise<LabRow[]> {
  return [await row(context, mode)];
}
