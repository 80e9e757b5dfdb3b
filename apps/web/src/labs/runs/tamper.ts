import { sessionCookieName } from "@repo/contract";
import { copyCookieViaNeighbour, noCopyReason } from "../attacker";
import { withPlantedCookie } from "../cookies";
import { flipCharacter, type TamperingId, tamper, tamperings } from "../forge";
import {
  JwtActor,
  type LabAnswer,
  type LabApi,
  LabStepFailed,
  SessionActor,
  serverDid,
} from "../http";
import { type LabContext, type LabRow, type RowResult, runRow, statusText } from "../lab";

/** A tampered credential should be refused; the control, untouched, should pass. */
export function tamperVerdict(answer: LabAnswer, control: boolean): RowResult {
  const { request } = answer;
  if (control) {
    return answer.ok
      ? {
          outcome: "accepted",
          verdict: "Accepted (200): the control, so the refusals below are the change's doing.",
        }
      : {
          outcome: "mixed",
          verdict: `The untouched credential was refused too (${statusText(request)}).`,
        };
  }
  if (request.status === 401) {
    return {
      outcome: "refused",
      verdict: `Refused (${statusText(request)}) ${serverDid(request.trace).replace(/^refused /, "")}.`,
    };
  }
  return {
    outcome: "accepted",
    verdict: `Accepted (${statusText(request)}): the server took a changed credential!`,
  };
}

/** One JWT row: alice's token changed one way, sent to the cart. */
function jwtRow(
  context: LabContext,
  how: TamperingId,
  label: string,
  alice: JwtActor,
  bobId: string,
): Promise<LabRow> {
  const row = { key: `jwt-${how}`, label: `JWT: ${label}`, mode: "jwt" as const };
  return runRow(context, row, async (api) => {
    const token = await tamper(alice.token, how, bobId);
    const answer = await api.send("GET", "/cart", {
      actor: "alice",
      headers: { authorization: `Bearer ${token}` },
      identity: { kind: "bearer", text: `Bearer token, ${label}` },
      note: label,
    });
    return tamperVerdict(answer, how === "untouched");
  });
}

/** A random string of base64url characters, as long as a real id or signature. */
function randomBase64Url(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => alphabet[byte % 64]).join("");
}

/** Sends the cart request with `value` in the sid cookie, ahead of the browser's own. */
function sendWithSid(api: LabApi, value: string, note: string): Promise<LabAnswer> {
  const cookie = { name: sessionCookieName, value, path: "/api/session/cart" };
  return withPlantedCookie(cookie, () => api.send("GET", "/cart", { actor: "alice", note }));
}

/**
 * The session cookie's rows. JavaScript cannot read the HttpOnly sid to change it, so the lab
 * copies it the way a server on another port of this host can (see the replay lab), changes
 * one character, and sends the result in a cookie it sets for the cart's path only.
 */
async function sessionRows(context: LabContext): Promise<LabRow[]> {
  const setup = { key: "session-setup", label: "Session", mode: "session" as const };
  const held: { alice?: SessionActor; copy: string | null } = { copy: null };
  const setupRow = await runRow(context, setup, async (api) => {
    held.alice = await SessionActor.login(api, "alice", "wonderland42");
    held.copy = await copyCookieViaNeighbour(
      api,
      context.attacker,
      "/api/session",
      sessionCookieName,
    );
    return { outcome: "accepted", verdict: "Logged in; the cookie copied from the neighbour." };
  });
  const rows: LabRow[] = [];
  const variants = [
    { key: "session-copy", label: "Session: the copy, untouched (the control)", control: true },
    { key: "session-flip", label: "Session: one character of the id changed", control: false },
    { key: "session-made-up", label: "Session: a made-up id of the same shape", control: false },
  ];
  for (const variant of variants) {
    rows.push(
      await runRow(context, { ...variant, mode: "session" }, async (api) => {
        const made = `s%3A${randomBase64Url(32)}.${randomBase64Url(43)}`;
        if (variant.key === "session-made-up") {
          return tamperVerdict(await sendWithSid(api, made, "a made-up sid"), false);
        }
        const { copy } = held;
        if (!copy) {
          throw new LabStepFailed(noCopyReason(context.attacker));
        }
        // "s%3A" is "s:", the mark of a signed value; the id follows, then "." and the signature.
        const value = variant.control ? copy : `s%3A${flipCharacter(copy.slice(4), 2)}`;
        return tamperVerdict(await sendWithSid(api, value, variant.label), variant.control);
      }),
    );
  }
  await held.alice?.logout();
  return setupRow.outcome === "unavailable" ? [setupRow] : rows;
}

/** Tamper with the credential: each change to a token, and to the session cookie. */
export async function runTamper(context: LabContext): Promise<LabRow[]> {
  const rows = await sessionRows(context);
  const held: { alice?: JwtActor; bobId: string } = { bobId: "" };
  const setupRow = { key: "jwt-setup", label: "JWT", mode: "jwt" as const };
  const setup = await runRow(context, setupRow, async (api) => {
    // bob logs in only to learn his id: the id a changed `sub` claims.
    const bob = await JwtActor.login(api, "bob", "builder42");
    held.bobId = bob.user.id;
    await bob.logout();
    held.alice = await JwtActor.login(api, "alice", "wonderland42");
    return { outcome: "accepted", verdict: "Logged in." };
  });
  const { alice, bobId } = held;
  if (!alice) return [...rows, setup];
  for (const { id, label } of tamperings) {
    rows.push(await jwtRow(context, id, label, alice, bobId));
  }
  await alice.logout();
  return rows;
}
