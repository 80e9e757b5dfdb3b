import { type Actor, JwtActor, type LabAnswer, type LabApi, SessionActor } from "../http";
import { type LabContext, type LabRow, type RowResult, runRow, statusText } from "../lab";
import { withJwtSettings } from "../settings";

// Two people at once: sam (staff) changes bob's role while bob keeps working. A JWT lab can hold
// two tokens side by side, but a browser holds one session cookie per site, so two sessions
// would need two browsers. Both backends share one store, so sam works through the JWT backend
// (his token lives in this page's memory) while bob holds the session cookie: the role sam
// writes is the same row of the same users table either way.

/** What bob's staff requests got around the promotion and the demotion. */
export interface AuthorizationFacts {
  /** Right after the promotion, before any refresh. */
  promoted: LabAnswer;
  /** Once he holds a staff credential (after a refresh, in JWT mode). */
  asStaff: LabAnswer;
  /** Right after the demotion, with the credential he held. */
  demoted: LabAnswer;
  /** After a refresh (JWT), or again (session). */
  afterRefresh?: LabAnswer;
}

export function authorizationVerdict(facts: AuthorizationFacts): RowResult {
  const { promoted, asStaff, demoted, afterRefresh } = facts;
  const at = (answer: LabAnswer | undefined) => statusText(answer?.request);
  if (!asStaff.ok) {
    return { outcome: "mixed", verdict: `bob never got in as staff (${at(asStaff)}).` };
  }
  if (demoted.request.status === 200) {
    return {
      outcome: "accepted",
      verdict: `Keeps the old claim: after the demotion bob's token still said staff (200), until a refresh read the store (${at(afterRefresh)}). The promotion waited for a refresh too (${at(promoted)} first).`,
    };
  }
  if (promoted.ok) {
    return {
      outcome: "refused",
      verdict: `Follows the store at once: staff right after the promotion (200), ${at(demoted)} right after the demotion; each request read the role from the store.`,
    };
  }
  return {
    outcome: "refused",
    verdict: `Follows at once: the token issued before each change was refused (${at(promoted) === at(demoted) ? `${at(promoted)} both times` : `${at(promoted)}, then ${at(demoted)}`}), and a refresh brought the store's role (${at(asStaff)}, then ${at(afterRefresh)}).`,
  };
}

/** sam sets bob's role through the JWT backend's staff route. */
function setRole(
  sam: JwtActor,
  bobId: string,
  role: "staff" | "customer",
  note = role === "staff" ? "sam makes bob staff" : "sam demotes bob",
): Promise<LabAnswer> {
  return sam.call("PATCH", `/admin/users/${encodeURIComponent(bobId)}`, { body: { role }, note });
}

const staffRoute = "/admin/users";

/** Runs the story, then puts bob back as a customer and logs both out, whatever happened. */
async function story(
  api: LabApi,
  bobMode: "session" | "jwt",
  tell: (sam: JwtActor, bob: Actor) => Promise<AuthorizationFacts>,
): Promise<RowResult> {
  const sam = await JwtActor.login(api.other("jwt"), "sam", "storekeeper42");
  // bob logs in after sam, so the browser's refresh cookie is bob's (sam never refreshes).
  const bob =
    bobMode === "session"
      ? await SessionActor.login(api, "bob", "builder42")
      : await JwtActor.login(api, "bob", "builder42");
  try {
    return authorizationVerdict(await tell(sam, bob));
  } finally {
    await setRole(sam, bob.user.id, "customer", "the lab leaves bob a customer, as it found him");
    await bob.logout();
    await sam.logout();
  }
}

function sessionRow(context: LabContext): Promise<LabRow> {
  const row = { key: "session", label: "Session", mode: "session" as const };
  return runRow(context, row, (api) =>
    story(api, "session", async (sam, bob) => {
      await setRole(sam, bob.user.id, "staff");
      const promoted = await bob.call("GET", staffRoute);
      await setRole(sam, bob.user.id, "customer");
      const demoted = await bob.call("GET", staffRoute);
      return { promoted, asStaff: promoted, demoted };
    }),
  );
}

function jwtRow(context: LabContext, userCutoff: boolean): Promise<LabRow> {
  const row = userCutoff
    ? { key: "jwt-cutoff", label: "JWT with the user cut-off", mode: "jwt" as const }
    : { key: "jwt", label: "JWT", mode: "jwt" as const };
  return runRow(context, row, (api) =>
    withJwtSettings(api, { userCutoff }, () =>
      story(api, "jwt", async (sam, bob) => {
        const jwtBob = bob as JwtActor;
        // No wait before a change: the cut-off is a version the store moves at every change, so
        // even a token from the same millisecond is refused (docs/api.md).
        await setRole(sam, bob.user.id, "staff");
        const promoted = await bob.call("GET", staffRoute, { note: "the token from before" });
        let asStaff = promoted;
        if (!promoted.ok) {
          await jwtBob.refresh("a new token, with the store's role");
          asStaff = await bob.call("GET", staffRoute, { note: "the refreshed token" });
        }
        await setRole(sam, bob.user.id, "customer");
        const demoted = await bob.call("GET", staffRoute, { note: "the token from before" });
        await jwtBob.refresh("a new token, with the store's role");
        const afterRefresh = await bob.call("GET", staffRoute, { note: "the refreshed token" });
        return { promoted, asStaff, demoted, afterRefresh };
      }),
    ),
  );
}

/** Authorization: sam changes bob's role; bob's next requests in each mode. */
export async function runAuthorization(context: LabContext): Promise<LabRow[]> {
  return [await sessionRow(context), await jwtRow(context, false), await jwtRow(context, true)];
}
