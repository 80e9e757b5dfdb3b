// The servers of one run, each in its own process: one per mode, and a baseline for each path
// prefix and shop store the modes use. Each mode is logged in once as the demo user.
import { fileURLToPath } from "node:url";
import { type Credentials, credentialsFor } from "./clients";
import { benchModes, type Mode, selectModes, shopStoreEnv } from "./modes";
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

/** Starts the servers of the modes `rows` names (BENCH_ROWS; all of them when unset). */
export async function startFleet(
  dataDir: string,
  services: Services,
  rows?: string,
): Promise<Fleet> {
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
  const logIn = async (mode: Mode, server: RunningServer) => {
    try {
      return await credentialsFor(mode.family, server.origin, server.prefix);
    } catch (error) {
      // A shared service can hold state we do not own (a login lock in a shared Redis, say):
      // that row is skipped with the reason; a failing login anywhere else is a bug.
      if (!mode.needs) throw error;
      skipped.push(`${mode.name}: the demo user could not log in (${String(error)}).`);
      return undefined;
    }
  };
  try {
    const modes = selectModes(benchModes({ dataDir, ...services }), rows).filter((mode) => {
      const reason = mode.needs && services.whyMissing[mode.needs];
      if (reason) skipped.push(`${mode.name}: ${reason}.`);
      return !reason;
    });

    // Per shop store, its first baseline alone: it creates and seeds the store, which every
    // later server then opens, so all of them serve the same user one cart. Then the rest.
    const baselines = new Map<string, RunningServer>();
    const startBaseline = async (mode: Mode) => {
      const key = baselineKey(mode);
      const env = {
        DATA_DIR: dataDir,
        DEMO_MODE: "0",
        BASELINE_MODE: mode.family,
        ...shopStoreEnv(mode.shopStore, services.databaseUrl),
      };
      const spec = {
        name: `the baseline (${key})`,
        entry: baselineEntry,
        prefix: mode.prefix,
        env,
      };
      const server = await start(spec, mode);
      if (server) baselines.set(key, server);
    };
    const startMode = async (mode: Mode): Promise<ModeServer | undefined> => {
      const server = await start(mode, mode);
      const baseline = baselines.get(baselineKey(mode));
      if (!server || !baseline) return undefined;
      const credentials = await logIn(mode, server);
      return credentials && { mode, server, credentials, baseline };
    };
    const shopStores = [...new Set(modes.map((mode) => mode.shopStore))];
    const perStore = await Promise.all(
      shopStores.map(async (shopStore) => {
        const ofStore = modes.filter((mode) => mode.shopStore === shopStore);
        // One mode standing for each baseline this store needs.
        const forBaselines = [
          ...new Map(ofStore.map((mode) => [baselineKey(mode), mode])).values(),
        ];
        const [seeding, ...others] = forBaselines;
        if (!seeding) return [];
        await startBaseline(seeding);
        if (!baselines.has(baselineKey(seeding))) return [];
        await Promise.all(others.map(startBaseline));
        return Promise.all(ofStore.map(startMode));
      }),
    );
    // Back in the order of the table.
    const started = modes.flatMap(
      (mode) => perStore.flat().find((entry) => entry?.mode === mode) ?? [],
    );
    let productId = "";
    for (const baseline of baselines.values()) productId = await oneLineInTheCart(baseline);
    return { modes: started, skipped, productId, stop };
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
