// The servers of one run, each in its own process: one per mode, and a baseline for each path
// prefix and shop store the modes use. Each mode is logged in once as the demo user.
import { fileURLToPath } from "node:url";
import { type Credentials, credentialsFor } from "./clients";
import { benchModes, type Mode, shopStoreEnv } from "./modes";
import { type RunningServer, ServerStartError, startServer } from "./servers";
import type { Services } from "./services";

const baselineEntry = fileURLToPath(new URL("./baseline-server.ts", import.meta.url));

export interface ModeServer {
  mode: Mode;
  server: RunningServer;
  credentials: Credentials;
  /** The baseline with the same prefix and shop store, which needs no credentials. */
  baseline: RunningServer;
}

export interface Fleet {
  modes: ModeServer[];
  /** Rows that cannot run here, with the reason. */
  skipped: string[];
  /** The id of a product, with the demo user's cart holding exactly one of it in every store. */
  productId: string;
  stop(): Promise<void>;
}

const baselineKey = (mode: Mode) => `${mode.family} on ${mode.shopStore}`;

export async function startFleet(dataDir: string, services: Services): Promise<Fleet> {
  const servers: RunningServer[] = [];
  const skipped: string[] = [];
  const stop = async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  };
  const start = async (spec: Parameters<typeof startServer>[0], mode: Mode) => {
    try {
      const server = await startServer(spec);
      servers.push(server);
      return server;
    } catch (error) {
      // A store this version of the backend does not offer is a skipped row, not a failure.
      if (!(error instanceof ServerStartError) || mode.needs !== "postgres") throw error;
      skipped.push(`${mode.name}: ${spec.name} refused to start (${firstLine(error.output)}).`);
      return undefined;
    }
  };
  try {
    let modes = benchModes({ dataDir, ...services }).filter((mode) => {
      const reason = mode.needs && services.whyMissing[mode.needs];
      if (reason) skipped.push(`${mode.name}: ${reason}.`);
      return !reason;
    });

    // The baselines first, one after the other: the first to start on a store creates and
    // seeds it, and every later server opens it, so all of them serve the same user one cart.
    const baselines = new Map<string, RunningServer>();
    for (const mode of modes) {
      const key = baselineKey(mode);
      if (baselines.has(key)) continue;
      const env = {
        DATA_DIR: dataDir,
        DEMO_MODE: "0",
        BASELINE_MODE: mode.family,
        ...shopStoreEnv(mode.shopStore, services.databaseUrl),
      };
      const server = await start(
        { name: `the baseline (${key})`, entry: baselineEntry, prefix: mode.prefix, env },
        mode,
      );
      if (server) baselines.set(key, server);
    }
    modes = modes.filter((mode) => baselines.has(baselineKey(mode)));

    const started = await Promise.all(
      modes.map(async (mode): Promise<ModeServer | undefined> => {
        const server = await start(mode, mode);
        const baseline = baselines.get(baselineKey(mode));
        if (!server || !baseline) return undefined;
        const credentials = await credentialsFor(mode.family, server.origin, server.prefix);
        return { mode, server, credentials, baseline };
      }),
    );
    let productId = "";
    for (const baseline of baselines.values()) productId = await oneLineInTheCart(baseline);
    return { modes: started.filter((entry) => entry !== undefined), skipped, productId, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Sets the cart to one of the first product, through a baseline, which needs no login. */
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
