// The servers of one run: a baseline per path prefix and one server per mode, each in its own
// process, all on one SQLite file, each mode logged in once as the demo user.
import { fileURLToPath } from "node:url";
import { type AuthMode, apiPrefix } from "@repo/contract";
import { type Credentials, credentialsFor } from "./clients";
import { benchModes, type Mode } from "./modes";
import { type RunningServer, ServerStartError, startServer } from "./servers";
import type { Services } from "./services";

const baselineEntry = fileURLToPath(new URL("./baseline-server.ts", import.meta.url));

export interface ModeServer {
  mode: Mode;
  server: RunningServer;
  credentials: Credentials;
}

export interface Fleet {
  baselines: Record<AuthMode, RunningServer>;
  modes: ModeServer[];
  /** Rows that cannot run here, with the reason. */
  skipped: string[];
  /** The id of a product, with the demo user's cart holding exactly one of it. */
  productId: string;
  stop(): Promise<void>;
}

export async function startFleet(dataDir: string, services: Services): Promise<Fleet> {
  const servers: RunningServer[] = [];
  const skipped: string[] = [];
  const stop = async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  };
  try {
    // The baselines first, one after the other: the first server to start creates and seeds
    // the SQLite file that all the others then open, so every server has the same user and cart.
    const baselineFor = async (mode: AuthMode) => {
      const server = await startServer({
        name: `baseline ${mode}`,
        entry: baselineEntry,
        prefix: apiPrefix[mode],
        env: { DATA_DIR: dataDir, BASELINE_MODE: mode },
      });
      servers.push(server);
      return server;
    };
    const baselines = { session: await baselineFor("session"), jwt: await baselineFor("jwt") };

    const available = benchModes({ dataDir, ...services }).filter((mode) => {
      const reason = mode.needs && services.whyMissing[mode.needs];
      if (reason) skipped.push(`${mode.name}: ${reason}.`);
      return !reason;
    });
    const started = await Promise.all(
      available.map(async (mode): Promise<ModeServer | undefined> => {
        try {
          const server = await startServer(mode);
          servers.push(server);
          const credentials = await credentialsFor(mode.family, server.origin, server.prefix);
          return { mode, server, credentials };
        } catch (error) {
          // A store this version of the backend does not offer is a skipped row, not a failure.
          if (!(error instanceof ServerStartError) || mode.needs !== "postgres") throw error;
          skipped.push(`${mode.name}: the server refused to start (${firstLine(error.output)}).`);
          return undefined;
        }
      }),
    );
    const productId = await oneLineInTheCart(baselines.session);
    return {
      baselines,
      modes: started.filter((entry) => entry !== undefined),
      skipped,
      productId,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Sets the cart to one of the first product, through the baseline, which needs no login. */
async function oneLineInTheCart(baseline: RunningServer): Promise<string> {
  const response = await fetch(`${baseline.origin}${baseline.prefix}/products`);
  const { products } = (await response.json()) as { products: { id: string }[] };
  const productId = products[0]?.id;
  if (!productId) throw new Error("the store has no products");
  const path = `${baseline.prefix}/cart/items/${encodeURIComponent(productId)}`;
  const set = await fetch(`${baseline.origin}${path}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ quantity: 1 }),
  });
  if (!set.ok) throw new Error(`could not set up the cart: ${set.status}`);
  return productId;
}

/** Logs the session modes out, so no session of ours outlives the run in a shared Redis. */
export async function logOutSessions(fleet: Fleet): Promise<void> {
  for (const { mode, server, credentials } of fleet.modes) {
    if (mode.family !== "session") continue;
    await fetch(`${server.origin}${mode.prefix}/auth/logout`, {
      method: "POST",
      headers: credentials.write,
    });
  }
}

/** The first line a failed server printed, without its full stop (the report adds its own). */
function firstLine(text: string): string {
  const line = text.split("\n").find((candidate) => candidate.trim() !== "") ?? "no output";
  return line.trim().replace(/\.$/, "");
}
