import { type Actor, JwtActor, LabStepFailed, SessionActor } from "../http";
import { type LabContext, type LabRow, type RowResult, runRow } from "../lab";
import { withSessionStore } from "../settings";
import { firstProductId, quantityIn } from "./common";

/** How many "add 1" the lab sends at once. */
export const concurrentAdds = 50;

/** What the count says, with why all were kept and why some were lost. */
export function keptVerdict(
  kept: number,
  sent: number,
  why: { all: string; fewer: string },
): RowResult {
  return kept === sent
    ? { outcome: "accepted", verdict: `${kept} of ${sent} kept: ${why.all}.` }
    : { outcome: "mixed", verdict: `${kept} of ${sent} kept: ${why.fewer}.` };
}

/** Empties the line, sends the adds at once, and counts what the cart kept. */
async function addsToStoreCart(actor: Actor): Promise<number> {
  const productId = await firstProductId(actor);
  const line = `/cart/items/${encodeURIComponent(productId)}`;
  await actor.call("PATCH", line, { body: { quantity: 0 }, note: "start from an empty line" });
  await Promise.all(
    Array.from({ length: concurrentAdds }, () =>
      actor.call("POST", "/cart/items", { body: { productId, quantity: 1 } }),
    ),
  );
  const cart = await actor.call("GET", "/cart");
  await actor.call("PATCH", line, { body: { quantity: 0 }, note: "leave the cart as it was" });
  if (!cart.ok) throw new LabStepFailed("the cart did not answer");
  return quantityIn(cart.body, productId);
}

function storeRow(context: LabContext, mode: "session" | "jwt"): Promise<LabRow> {
  const row = { key: mode, label: mode === "session" ? "Session" : "JWT", mode };
  return runRow(context, row, async (api) => {
    const alice =
      mode === "session"
        ? await SessionActor.login(api, "alice", "wonderland42")
        : await JwtActor.login(api, "alice", "wonderland42");
    const kept = await addsToStoreCart(alice);
    await alice.logout();
    return keptVerdict(kept, concurrentAdds, {
      all: "the cart lives in the store, and each add is one atomic write",
      fewer: "adds were lost, which one atomic write per add should never allow",
    });
  });
}

/**
 * The mistake, kept on purpose by the session backend: a cart inside the session. The row keeps
 * its sessions in a MemoryStore, which answers each load a moment later, as a networked store
 * (Redis, PostgreSQL) does: overlapping requests then each load the same copy. (This backend's
 * SQLite store answers at once, so one process happens to run each request to its end before
 * the next; that is luck, not design, and it ends with a second instance.)
 */
function sessionCartRow(context: LabContext): Promise<LabRow> {
  const row = {
    key: "session-cart",
    label: "Session, cart kept in the session",
    mode: "session" as const,
  };
  return runRow(context, row, (api) =>
    withSessionStore(api, "memory", async () => {
      const alice = await SessionActor.login(api, "alice", "wonderland42");
      const productId = await firstProductId(alice);
      await alice.call("DELETE", "/demo/session-cart", {
        note: "start from an empty session cart",
      });
      await Promise.all(
        Array.from({ length: concurrentAdds }, () =>
          alice.call("POST", "/demo/session-cart/items", { body: { productId, quantity: 1 } }),
        ),
      );
      const cart = await alice.call("GET", "/demo/session-cart");
      await alice.call("DELETE", "/demo/session-cart", { note: "leave it empty" });
      await alice.logout();
      const body = cart.body as { itemCount?: unknown } | null;
      if (typeof body?.itemCount !== "number") {
        throw new LabStepFailed("the session cart did not answer");
      }
      return keptVerdict(body.itemCount, concurrentAdds, {
        all: "none overlapped this time (the browser sends 6 at once at most); run it again",
        fewer:
          "each request loaded the session, pushed into its own copy and saved the whole copy over the others'",
      });
    }),
  );
}

/** Lost updates: 50 concurrent adds in each mode, and beside them the session-cart mistake. */
export async function runLostUpdates(context: LabContext): Promise<LabRow[]> {
  return [
    await storeRow(context, "session"),
    await storeRow(context, "jwt"),
    await sessionCartRow(context),
  ];
}
