import type { AuthMode, ForeignRequest } from "@repo/contract";
import { arrayOf, nullable, number, object, record, string } from "../../api/shapes";
import { forgeFrom, forgeUrl } from "../attacker";
import { JwtActor, type LabApi, LabStepFailed, SessionActor, sleep } from "../http";
import { type LabContext, type LabRow, type RowResult, runRow, statusText } from "../lab";
import { firstProductId } from "./common";

// The attacker's page, framed from another site (http://localhost:5174) or from the same site
// on another port (http://127.0.0.1:5174), makes this browser post to the cart. That page can
// never read the answer; the server's log of foreign requests (demo mode) says what arrived.

// Checked loosely: the lab reads these fields, and shows the refusing step as the server sent it.
const foreignRequest = object({
  at: string,
  method: string,
  path: string,
  origin: string,
  cookies: arrayOf(string),
  status: number,
  code: nullable(string),
  refusedBy: nullable(record),
});
const foreignRequests = object({ requests: arrayOf(foreignRequest) });
type Arrival = ForeignRequest;

/** Waits until the server logged the forged POST from `origin`, sent after `sinceMs`. */
async function arrivalFrom(api: LabApi, origin: string, sinceMs: number): Promise<Arrival | null> {
  for (let waited = 0; waited < 15_000; waited += 500) {
    const answer = await api.send("GET", "/demo/foreign-requests", { actor: "lab" });
    if (foreignRequests(answer.body)) {
      const found = (answer.body.requests as Arrival[]).find(
        (entry) =>
          entry.origin === origin &&
          entry.method === "POST" &&
          Date.parse(entry.at) >= sinceMs - 1000,
      );
      if (found) return found;
    }
    await sleep(500);
  }
  return null;
}

/** What the arrival tells: which cookies came along, and what refused it. */
export function forgeryVerdict(arrival: Arrival, mode: AuthMode): RowResult {
  const refused = arrival.status >= 400;
  const status = `${arrival.status}${arrival.code ? ` ${arrival.code}` : ""}`;
  const sid = arrival.cookies.includes("sid");
  const cookies = arrival.cookies.length
    ? `cookies attached: ${arrival.cookies.join(", ")}`
    : "no cookie attached";
  let why: string;
  if (mode === "jwt") why = "and no browser adds an Authorization header by itself";
  else if (sid) why = "(same site, so SameSite let it come), and the Origin check refused it";
  else why = "(SameSite=Lax kept it home), and the Origin check refused it anyway";
  if (!refused) why = "and the server took it";
  return {
    outcome: refused ? "refused" : "accepted",
    verdict: `${refused ? "Refused" : "Accepted"} (${status}); ${cookies} ${why}.`,
  };
}

function forgedRow(
  context: LabContext,
  mode: AuthMode,
  site: "crossSite" | "sameSite",
): Promise<LabRow> {
  const origin = context.attacker[site];
  const where = site === "crossSite" ? "another site" : "the same site, other port";
  const row = {
    key: `${mode}-${site === "crossSite" ? "cross-site" : "same-site"}`,
    label: `${mode === "session" ? "Session" : "JWT"}, from ${where}`,
    mode,
  };
  return runRow(context, row, async (api) => {
    const run = `${mode}-${site}-${Date.now()}`;
    const sinceMs = Date.now();
    const startedAt = performance.now();
    const report = await forgeFrom(origin, mode, run);
    // The frame's own load, as the row and the inspector list it (a frame's status is not ours
    // to read: it reported back, so it loaded).
    api.note(
      {
        actor: "lab",
        method: "GET",
        path: forgeUrl(origin, mode, run),
        status: report ? 200 : 0,
        trace: [],
        note: "the attacker's page, in a hidden frame",
      },
      performance.now() - startedAt,
    );
    if (!report) {
      throw new LabStepFailed(
        `the attacker page at ${origin} did not report back (npm start -w apps/attacker)`,
      );
    }
    const arrival = await arrivalFrom(api, origin, sinceMs);
    if (!arrival) throw new LabStepFailed(`the server logged no POST from ${origin}`);
    api.note(
      {
        actor: "attacker page",
        method: arrival.method,
        path: arrival.path,
        status: arrival.status,
        trace: arrival.refusedBy ? [arrival.refusedBy] : [],
        ...(arrival.code ? { errorCode: arrival.code } : {}),
        note: `from ${origin}; it saw: ${report.observed}`,
      },
      0,
    );
    return forgeryVerdict(arrival, mode);
  });
}

/** The second layer: this very page, same origin, sending without the CSRF token. */
function noTokenRow(context: LabContext, alice: SessionActor): Promise<LabRow> {
  const row = {
    key: "session-no-token",
    label: "Session, this page without the CSRF token",
    mode: "session" as const,
  };
  return runRow(context, row, async (api) => {
    const productId = await firstProductId(alice);
    const answer = await api.send("POST", "/cart/items", {
      actor: "page",
      body: { productId, quantity: 1 },
      note: "same origin, cookie attached, no X-CSRF-Token",
    });
    return answer.request.errorCode === "csrf"
      ? {
          outcome: "refused",
          verdict: `Refused (${statusText(answer.request)}): with the right Origin and the cookie, a request still needs the token, which another page can never read.`,
        }
      : { outcome: "accepted", verdict: `Not refused: ${statusText(answer.request)}.` };
  });
}

/** A request from another site: each mode, from another site and from the same site. */
export async function runCsrf(context: LabContext): Promise<LabRow[]> {
  const rows: LabRow[] = [];
  const held: { alice?: SessionActor; jwtAlice?: JwtActor } = {};
  const setup = await runRow(
    context,
    { key: "setup", label: "Log in", mode: "session" },
    async (api) => {
      held.alice = await SessionActor.login(api, "alice", "wonderland42");
      return {
        outcome: "accepted",
        verdict: "alice logged in, so the browser holds her sid cookie.",
      };
    },
  );
  const { alice } = held;
  if (!alice) return [setup];
  rows.push(await forgedRow(context, "session", "crossSite"));
  rows.push(await forgedRow(context, "session", "sameSite"));
  rows.push(await noTokenRow(context, alice));
  await alice.logout();
  const jwtSetup = { key: "jwt-setup", label: "Log in", mode: "jwt" as const };
  await runRow(context, jwtSetup, async (api) => {
    held.jwtAlice = await JwtActor.login(api, "alice", "wonderland42");
    return { outcome: "accepted", verdict: "alice logged in (JWT)." };
  });
  rows.push(await forgedRow(context, "jwt", "crossSite"));
  rows.push(await forgedRow(context, "jwt", "sameSite"));
  await held.jwtAlice?.logout();
  return rows;
}
