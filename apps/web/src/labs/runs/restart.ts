import type { AuthMode, SessionStoreKind } from "@repo/contract";
import { JwtActor, LabApi, SessionActor } from "../http";
import { type LabContext, type LabRow, runRow, statusText } from "../lab";
import { readSessionSettings, withSessionStore } from "../settings";

/** A session store's row: log in, restart, and ask again with the same cookie. */
function sessionRow(context: LabContext, store: SessionStoreKind): Promise<LabRow> {
  const row = { key: `session-${store}`, label: `Session in ${store}`, mode: "session" as const };
  return runRow(context, row, (api) =>
    withSessionStore(api, store, async () => {
      const alice = await SessionActor.login(api, "alice", "wonderland42");
      await alice.call("GET", "/cart");
      await api.send("POST", "/demo/restart", { actor: "lab" });
      const after = await alice.call("GET", "/cart", {
        note: "the same cookie, after the restart",
      });
      if (after.ok) {
        await alice.logout();
        return {
          outcome: "accepted",
          verdict: `Survived (200): the session lives in ${store}, outside the process.`,
        };
      }
      return after.request.status === 401
        ? {
            outcome: "refused",
            verdict: `Gone (${statusText(after.request)}): a MemoryStore keeps sessions in the process's memory, and a restart empties it.`,
          }
        : { outcome: "mixed", verdict: `Unexpected: ${statusText(after.request)}.` };
    }),
  );
}

function jwtRow(context: LabContext): Promise<LabRow> {
  return runRow(context, { key: "jwt", label: "JWT", mode: "jwt" }, async (api) => {
    const alice = await JwtActor.login(api, "alice", "wonderland42");
    await alice.call("GET", "/cart");
    await api.send("POST", "/demo/restart", { actor: "lab" });
    const after = await alice.call("GET", "/cart", { note: "the same token, after the restart" });
    const refreshed = await alice.refresh("the refresh cookie, after the restart");
    await alice.logout();
    const access = after.ok
      ? "the access token still works (200): nothing was kept, so nothing was lost"
      : `the access token was refused (${statusText(after.request)})`;
    const refresh = refreshed.ok
      ? "the refresh token survived too (200), since its store outlives the process"
      : `the refresh token did not survive (${statusText(refreshed.request)})`;
    return {
      outcome: after.ok && refreshed.ok ? "accepted" : "mixed",
      verdict: `${access}; ${refresh}.`.replace(/^t/, "T"),
    };
  });
}

/**
 * Restart the server: one row per session store this backend can switch to (memory first), and
 * JWT. Each session row switches the store, logs in, restarts and asks again.
 */
export async function runRestart(context: LabContext): Promise<LabRow[]> {
  return [
    ...(await runRestartInMode("session", context)),
    ...(await runRestartInMode("jwt", context)),
  ];
}

/** The restart lab in one mode: a row per session store, or the JWT row. */
export async function runRestartInMode(mode: AuthMode, context: LabContext): Promise<LabRow[]> {
  if (mode === "jwt") return [await jwtRow(context)];
  const settings = await readSessionSettings(new LabApi("session", context.sink));
  const stores = [...settings.choices.sessionStore].sort((a, b) =>
    a === "memory" ? -1 : b === "memory" ? 1 : 0,
  );
  const rows: LabRow[] = [];
  for (const store of stores) rows.push(await sessionRow(context, store));
  return rows;
}
