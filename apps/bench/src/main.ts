// `npm run bench`: what proving who is asking costs per request, in each mode, measured with
// every server in its own process and the load coming from this one. Writes
// docs/generated/bench.md and docs/generated/bench.svg.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AuthMode, apiPrefix } from "@repo/contract";
import { type Credentials, credentialsFor } from "./clients";
import { compare } from "./compare";
import { measureBytes } from "./header-bytes";
import { cartRead, cartWrite } from "./load";
import { thisMachine } from "./machine";
import { renderMarkdown } from "./markdown";
import { benchModes, type Mode } from "./modes";
import type {
  BenchReport,
  BytesRow,
  MemoryRow,
  RatioRow,
  StormRow,
  WindowSettings,
} from "./report";
import { type RunningServer, ServerStartError, startServer } from "./servers";
import { findServices } from "./services";
import { probeSessionMemory } from "./session-memory";
import { loginStorm } from "./storm";
import { renderSvg } from "./svg";

// The budget: 16 rows of 7 pairs of 0.4 s windows (about 110 s), plus starts, the two login
// storms and the memory probes (about 35 s), keep `npm run bench` under three minutes on a
// shared 2-core machine. BENCH_WINDOW_MS and BENCH_PAIRS trade time for precision.
const settings: WindowSettings = {
  windowMs: Number(process.env.BENCH_WINDOW_MS ?? 400),
  pairs: Number(process.env.BENCH_PAIRS ?? 7),
  connections: 10,
};
const storm = { logins: 32, readsPerSecond: 100, connections: 10, quietMs: 1500 };
const stormModes = ["session (SQLite)", "JWT HS256"];
const sessionCount = 10_000;
const outputDir = fileURLToPath(new URL("../../../docs/generated/", import.meta.url));
const baselineEntry = fileURLToPath(new URL("./baseline-server.ts", import.meta.url));

const startedMs = performance.now();
const elapsed = () => `${((performance.now() - startedMs) / 1000).toFixed(0)} s`;
const log = (line: string) => console.log(`[${elapsed()}] ${line}`);

const dataDir = mkdtempSync(join(tmpdir(), "session-vs-jwt-bench-"));
const services = await findServices(process.env);
const skipped: string[] = [];
const servers: RunningServer[] = [];

interface Started {
  mode: Mode;
  server: RunningServer;
  credentials: Credentials;
}

try {
  // The baselines first: the first server to start creates and seeds the SQLite file that
  // every other server then opens, so all of them serve the same user the same cart.
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

  const modes = benchModes({ dataDir, ...services });
  const available = modes.filter((mode) => {
    const missing =
      mode.needs === "redis" && !services.redisUrl
        ? "REDIS_URL"
        : mode.needs === "postgres" && !services.databaseUrl
          ? "DATABASE_URL"
          : undefined;
    if (missing)
      skipped.push(`${mode.name}: ${services.missing.find((m) => m.startsWith(missing))}.`);
    return !missing;
  });
  log(`starting ${available.length} servers, each in its own process`);
  const started = (
    await Promise.all(
      available.map(async (mode): Promise<Started | undefined> => {
        try {
          const server = await startServer({ ...mode, name: mode.name });
          servers.push(server);
          const credentials = await credentialsFor(mode.family, server.origin, server.prefix);
          return { mode, server, credentials };
        } catch (error) {
          // A store this version of the backend does not offer yet is a skipped row, not a failure.
          if (!(error instanceof ServerStartError) || mode.needs !== "postgres") throw error;
          skipped.push(`${mode.name}: the server refused to start (${firstLine(error.output)}).`);
          return undefined;
        }
      }),
    )
  ).filter((entry): entry is Started => entry !== undefined);

  // One line in the cart, through the baseline (no credentials needed there).
  const productsResponse = await fetch(`${baselines.session.origin}${apiPrefix.session}/products`);
  const { products } = (await productsResponse.json()) as { products: { id: string }[] };
  const productId = products[0]?.id;
  if (!productId) throw new Error("the store has no products");
  const setLine = await fetch(
    `${baselines.session.origin}${apiPrefix.session}/cart/items/${encodeURIComponent(productId)}`,
    {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ quantity: 1 }),
    },
  );
  if (!setLine.ok) throw new Error(`could not set up the cart: ${setLine.status}`);

  // Bytes first, while nothing writes to the cart: both answers must carry the same body.
  const bytes: BytesRow[] = [];
  for (const { mode, server, credentials } of started) {
    const baseline = mode.family === "session" ? baselines.session : baselines.jwt;
    bytes.push(
      await measureBytes(
        mode.name,
        { origin: server.origin, prefix: mode.prefix, credentials },
        { origin: baseline.origin, prefix: mode.prefix },
      ),
    );
  }

  const ratios: RatioRow[] = [];
  const noCredentials = await credentialsFor("baseline", "", "");
  for (const { mode, server, credentials } of started) {
    const baseline = mode.family === "session" ? baselines.session : baselines.jwt;
    const routes = [
      {
        route: "cart read" as const,
        baseline: cartRead(baseline.origin, mode.prefix, noCredentials),
        mode: cartRead(server.origin, mode.prefix, credentials),
      },
      {
        route: "cart write" as const,
        baseline: cartWrite(baseline.origin, mode.prefix, noCredentials, productId),
        mode: cartWrite(server.origin, mode.prefix, credentials, productId),
      },
    ];
    for (const route of routes) {
      const result = await compare(route.baseline, route.mode, settings);
      ratios.push({ mode: mode.name, family: mode.family, route: route.route, ...result });
      log(
        `${mode.name}, ${route.route}: ${result.ratio.median.toFixed(2)}x ` +
          `(${result.ratio.min.toFixed(2)}-${result.ratio.max.toFixed(2)})`,
      );
    }
  }

  const stormRows: StormRow[] = [];
  for (const { mode, server, credentials } of started) {
    if (!stormModes.includes(mode.name)) continue;
    const result = await loginStorm(
      cartRead(server.origin, mode.prefix, credentials),
      { origin: server.origin, prefix: mode.prefix },
      storm,
    );
    stormRows.push({ mode: mode.name, logins: storm.logins, ...result });
    log(
      `${mode.name}: cart p99 ${result.quietP99Ms} ms quiet, ${result.stormP99Ms} ms during ` +
        `${storm.logins} logins (${result.stormSeconds.toFixed(1)} s)`,
    );
  }

  // Log the session modes out, so no session of ours outlives the run in a shared Redis.
  for (const { mode, server, credentials } of started) {
    if (mode.family !== "session") continue;
    await fetch(`${server.origin}${mode.prefix}/auth/logout`, {
      method: "POST",
      headers: credentials.write,
    });
  }
  await Promise.all(servers.splice(0).map((server) => server.stop()));

  // Memory per live session, store by store, each in a process of its own.
  const memoryRows: MemoryRow[] = [];
  for (const store of ["memory", "sqlite", "redis", "postgres"] as const) {
    const mode = modes.find((candidate) => candidate.env.SESSION_STORE === store);
    if (!mode || !started.some((entry) => entry.mode === mode)) continue;
    const result = await probeSessionMemory({ ...mode.env, SESSION_COUNT: String(sessionCount) });
    if (!result.ok) {
      skipped.push(`memory per session in ${store}: ${result.reason}`);
      continue;
    }
    memoryRows.push({ store: mode.name, bytes: result.bytes, measuredAs: result.measuredAs });
    log(`${mode.name}: ${(result.bytes / sessionCount).toFixed(0)} B per session`);
  }

  const report: BenchReport = {
    date: new Date(),
    machine: thisMachine(),
    settings,
    ratios,
    storm: { threadPool: threadPoolNote(), rows: stormRows },
    bytes,
    memory: {
      sessions: sessionCount,
      howCreated:
        "Each store got one real login (`POST /api/session/auth/login`, scrypt and all) and " +
        `then ${sessionCount.toLocaleString("en")} copies of that session's record under fresh ` +
        "random ids, written through the store's own `set()` in a process that runs the session " +
        "backend's app: the records are those real logins make, without an hour of scrypt.",
      rows: memoryRows,
    },
    skipped,
    totalSeconds: (performance.now() - startedMs) / 1000,
  };
  mkdirSync(outputDir, { recursive: true });
  const markdown = renderMarkdown(report);
  writeFileSync(join(outputDir, "bench.md"), markdown);
  writeFileSync(join(outputDir, "bench.svg"), renderSvg(report));
  console.log(`\n${markdown}`);
  log("wrote docs/generated/bench.md and docs/generated/bench.svg");
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  rmSync(dataDir, { recursive: true, force: true });
}

/** The first line a failed server printed, without its full stop (the report adds its own). */
function firstLine(text: string): string {
  const line = text.split("\n").find((candidate) => candidate.trim() !== "") ?? "no output";
  return line.trim().replace(/\.$/, "");
}

/** What the storm's servers ran with, and why that number. */
function threadPoolNote(): string {
  const size = process.env.UV_THREADPOOL_SIZE;
  const inUse = size
    ? `UV_THREADPOOL_SIZE=${size}, as the bench was started with`
    : "UV_THREADPOOL_SIZE unset, so libuv's default of 4 threads";
  return (
    `The servers ran with ${inUse}. scrypt (128 MiB, about half a second per login) runs on ` +
    "that pool, so that many logins hash at once and the rest queue; the cart route never " +
    "waits for the pool (SQLite calls are synchronous, Redis is a socket), only for the CPU " +
    `the hashing threads take from its event loop. On ${availableParallelism()} CPUs a larger ` +
    "pool would only add threads competing for the same cores, and a smaller one would make " +
    `logins queue longer. ${storm.logins} logins start at once, while cart reads arrive at a ` +
    `steady ${storm.readsPerSecond} per second over ${storm.connections} connections; the quiet ` +
    `p99 is the same load for ${storm.quietMs / 1000} s just before.`
  );
}
