import { type AuthMode, refreshCookieName } from "@repo/contract";
import * as responses from "../../api/responses";
import { decodeJwt } from "../../jwt/decode";
import { copyCookieViaNeighbour } from "../attacker";
import { withPlantedCookie } from "../cookies";
import { JwtActor, type LabAnswer, SessionActor, sleep } from "../http";
import { type LabContext, type LabRow, type RowResult, runRow, statusText } from "../lab";
import { withJwtSettings } from "../settings";

/** The shortest lifetime the settings take (docs/api.md): the lab waits it out. */
const shortLifetimeSeconds = 5;
/** The server's clock tolerance on `exp` (docs/api.md, JWT mode). */
const clockToleranceSeconds = 5;

/** The facts of the JWT row, as the verdict reads them. */
export interface ExpiryFacts {
  expired: LabAnswer | undefined;
  refreshed: LabAnswer;
  rotated: boolean;
  retried: LabAnswer;
  oldReplay: LabAnswer | undefined;
  newAfterReplay: LabAnswer | undefined;
}

export function expiryVerdict(facts: ExpiryFacts): RowResult {
  const { expired, refreshed, rotated, retried, oldReplay, newAfterReplay } = facts;
  if (expired?.request.errorCode !== "token_expired") {
    return {
      outcome: "mixed",
      verdict: `The token never came back as expired (${statusText(expired?.request)}).`,
    };
  }
  const parts = [
    "401 token_expired",
    refreshed.ok ? `refresh 200${rotated ? " with a new refresh token" : ""}` : "refresh refused",
    retried.ok ? "the retry passed" : `the retry got ${statusText(retried.request)}`,
  ];
  if (!oldReplay || !newAfterReplay) {
    return {
      outcome: "mixed",
      verdict: `${parts.join(", ")}. The replay needs a copy of the refresh cookie: start the attacker site.`,
    };
  }
  const familyRevoked = oldReplay.request.status === 401 && newAfterReplay.request.status === 401;
  parts.push(
    familyRevoked
      ? "the old refresh token replayed: 401, and the newest one is refused too: the whole family is revoked"
      : `the old refresh token replayed: ${statusText(oldReplay.request)}, the newest: ${statusText(newAfterReplay.request)}`,
  );
  return {
    outcome: familyRevoked && refreshed.ok && retried.ok ? "refused" : "mixed",
    verdict: `${parts.join("; ")}.`,
  };
}

/** Sends until the token is refused as expired, starting once `exp` and the tolerance passed. */
async function waitForExpiry(alice: JwtActor, context: LabContext): Promise<LabAnswer | undefined> {
  const decoded = decodeJwt(alice.token);
  const exp =
    decoded.ok && typeof decoded.jwt.payload.exp === "number" ? decoded.jwt.payload.exp : 0;
  const waitMs = (exp + clockToleranceSeconds) * 1000 - Date.now() + 500;
  context.progress?.(`Waiting ${Math.ceil(waitMs / 1000)} s: exp plus the server's 5 s tolerance…`);
  await sleep(Math.max(0, waitMs));
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const answer = await alice.call("GET", "/cart", { note: "after exp" });
    if (!answer.ok) return answer;
    await sleep(1000);
  }
  return undefined;
}

function jwtRow(context: LabContext): Promise<LabRow> {
  const row = { key: "jwt", label: "JWT", mode: "jwt" as const };
  return runRow(context, row, (api) =>
    withJwtSettings(api, { accessTokenTtlSeconds: shortLifetimeSeconds }, async () => {
      const alice = await JwtActor.login(api, "alice", "wonderland42");
      await alice.call("GET", "/cart");
      const expired = await waitForExpiry(alice, context);
      // A copy of the refresh token before it is spent, as a thief who took it would hold.
      const refreshPath = "/api/jwt/auth";
      const site = context.attacker;
      const oldCopy = await copyCookieViaNeighbour(api, site, refreshPath, refreshCookieName);
      const refreshed = await alice.refresh("token_expired: ask for a new one");
      const newCopy = await copyCookieViaNeighbour(api, site, refreshPath, refreshCookieName);
      const retried = await alice.call("GET", "/cart", { note: "the retry, with the new token" });
      let oldReplay: LabAnswer | undefined;
      let newAfterReplay: LabAnswer | undefined;
      if (oldCopy && newCopy) {
        // The copies go in for the refresh path only, ahead of the browser's own cookie.
        const planted = (value: string) => ({
          name: refreshCookieName,
          value,
          path: "/api/jwt/auth/refresh",
        });
        // #region replay-refresh
        oldReplay = await withPlantedCookie(planted(oldCopy), () =>
          api.send("POST", "/auth/refresh", {
            actor: "thief",
            note: "the spent refresh token, replayed",
          }),
        );
        newAfterReplay = await withPlantedCookie(planted(newCopy), () =>
          api.send("POST", "/auth/refresh", { actor: "alice", note: "her newest refresh token" }),
        );
        // #endregion
      }
      await alice.logout();
      return expiryVerdict({
        expired,
        refreshed,
        rotated: oldCopy !== null && newCopy !== null && oldCopy !== newCopy,
        retried,
        oldReplay,
        newAfterReplay,
      });
    }),
  );
}

/** Session mode has no token to expire: the row shows when the server will end the session. */
function sessionRow(context: LabContext): Promise<LabRow> {
  const row = { key: "session", label: "Session", mode: "session" as const };
  return runRow(context, row, async (api) => {
    const alice = await SessionActor.login(api, "alice", "wonderland42");
    await alice.call("GET", "/cart");
    const state = await alice.call("GET", "/demo/state", { note: "what the server keeps" });
    await alice.logout();
    // This browser's session is the one its last request pushed furthest (others are older).
    const expiries = responses.sessionDemoState(state.body)
      ? state.body.sessions.flatMap((session) => (session.expiresAt ? [session.expiresAt] : []))
      : [];
    const latest = expiries.sort().at(-1);
    const until = latest ? new Date(latest).toLocaleTimeString() : "unknown";
    return {
      outcome: "accepted",
      verdict: `Nothing to refresh: the cookie carries only an id, and the server ends the session when it is idle (now at ${until}, pushed back by each request) or at logout.`,
    };
  });
}

/** Expiry and refresh: the JWT row does the work; the session row says what it has instead. */
export async function runExpiry(context: LabContext): Promise<LabRow[]> {
  return [await sessionRow(context), await jwtRow(context)];
}

/** The expiry lab in one mode. */
export async function runExpiryInMode(mode: AuthMode, context: LabContext): Promise<LabRow[]> {
  return [mode === "session" ? await sessionRow(context) : await jwtRow(context)];
}
