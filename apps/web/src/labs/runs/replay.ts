import { type AuthMode, sessionCookieName } from "@repo/contract";
import { copyCookieViaNeighbour, noCopyReason } from "../attacker";
import { withPlantedCookie } from "../cookies";
import { JwtActor, type LabRequest, LabStepFailed, SessionActor } from "../http";
import { type LabContext, type LabRow, type RowResult, runRow, statusText } from "../lab";
import { withJwtSettings } from "../settings";

/** What a replayed copy came to, in words. */
export function replayVerdict(replay: LabRequest, why: string): RowResult {
  if (replay.status === 401) {
    return { outcome: "refused", verdict: `Refused (${statusText(replay)}): ${why}` };
  }
  if (replay.status === 200) {
    return { outcome: "accepted", verdict: `Accepted (200): ${why}` };
  }
  return { outcome: "mixed", verdict: `Unexpected answer to the replay: ${statusText(replay)}.` };
}

/** Session: copy the HttpOnly cookie the way a neighbour on this host can, log out, replay. */
function sessionRow(context: LabContext): Promise<LabRow> {
  return runRow(context, { key: "session", label: "Session", mode: "session" }, async (api) => {
    // #region replay-session
    const alice = await SessionActor.login(api, "alice", "wonderland42");
    await alice.call("GET", "/cart");
    const copy = await copyCookieViaNeighbour(api, context.attacker, "/api/session", "sid");
    await alice.logout();
    if (!copy) {
      throw new LabStepFailed(noCopyReason(context.attacker));
    }
    // The browser deleted its cookie at logout; the copy goes back in for the cart's path only.
    const cookie = { name: sessionCookieName, value: copy, path: "/api/session/cart" };
    const replay = await withPlantedCookie(cookie, () =>
      api.send("GET", "/cart", { actor: "thief", note: "the copied cookie, replayed" }),
    );
    // #endregion
    return replay.request.status === 401
      ? replayVerdict(
          replay.request,
          "logout deleted the session from the store, so every copy of its cookie died with it.",
        )
      : replayVerdict(replay.request, "the server still knows this session after logout.");
  });
}

/** JWT, with the denylist off or on: keep the token, log out, replay it. */
function jwtRow(context: LabContext, denylist: boolean): Promise<LabRow> {
  const row = denylist
    ? { key: "jwt-denylist", label: "JWT with the denylist", mode: "jwt" as const }
    : { key: "jwt", label: "JWT", mode: "jwt" as const };
  return runRow(context, row, (api) =>
    withJwtSettings(api, { denylist }, async () => {
      const alice = await JwtActor.login(api, "alice", "wonderland42");
      const copy = alice.token;
      await alice.call("GET", "/cart");
      await alice.logout();
      const replay = await alice.call("GET", "/cart", {
        token: copy,
        actor: "thief",
        note: "the copied token, replayed",
      });
      if (replay.request.status === 200) {
        return replayVerdict(
          replay.request,
          "logout revoked the refresh token, but the access token is valid until its exp: the server keeps nothing to check it against.",
        );
      }
      return replayVerdict(
        replay.request,
        denylist
          ? "logout put the token's jti on the denylist, which every request now reads: state again."
          : "the token was refused.",
      );
    }),
  );
}

/** Replay after logout in one mode: session, or JWT without and with the denylist. */
export async function runReplayInMode(mode: AuthMode, context: LabContext): Promise<LabRow[]> {
  if (mode === "session") return [await sessionRow(context)];
  return [await jwtRow(context, false), await jwtRow(context, true)];
}

/** Replay after logout: one row per mode, and JWT with the denylist on. */
export async function runReplay(context: LabContext): Promise<LabRow[]> {
  return [
    ...(await runReplayInMode("session", context)),
    ...(await runReplayInMode("jwt", context)),
  ];
}
