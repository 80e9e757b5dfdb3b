// `npm run bench`: what proving who is asking costs per request, in each mode, measured with
// every server in its own process and the load coming from this one. Writes
// docs/generated/bench.md and docs/generated/bench.svg.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { postgresTestSchemas } from "@repo/store/testing";
import { credentialsFor } from "./clients";
import { compare } from "./compare";
import { logOutSessions, startFleet } from "./fleet";
import { measureBytes } from "./header-bytes";
import { cartRead, cartWrite, type LoadTarget } from "./load";
import { thisMachine } from "./machine";
import { renderMarkdown } from "./markdown";
import {
  type BenchReport,
  type BytesRow,
  formatRatio,
  type RatioRow,
  type StormRow,
  type WindowSettings,
} from "./report";
import { findServices } from "./services";
import { measureSessionMemory } from "./session-memory";
import { createShoppers } from "./shoppers";
import { loginStorm, threadPoolNote } from "./storm";
import { renderSvg } from "./svg";

// The budget: 16 rows of 7 pairs of 0.3 s windows and a short warm-up (about 80 s), the
// starts (10-20 s), the two login storms with a lone login each (30-40 s) and the memory probes
// (5 s): `npm run bench` stays under three minutes on a busy 2-core machine. The lone login is
// what one scrypt hash at the store's cost takes, so no separate scrypt bench is needed.
// BENCH_WINDOW_MS and BENCH_PAIRS trade time for precision.
const settings: WindowSettings = {
  windowMs: Number(process.env.BENCH_WINDOW_MS ?? 300),
  pairs: Number(process.env.BENCH_PAIRS ?? 7),
  connections: 10,
};
// For quick runs while changing a backend: BENCH_ROWS=session-sqlite,jwt-hs256 runs only those
// modes, and BENCH_PARTS=ratios (or storm, memory, a list) only those parts. A partial run
// prints its table and leaves docs/generated alone: the committed page is always a full run.
const rows = process.env.BENCH_ROWS;
const parts = new Set((process.env.BENCH_PARTS ?? "ratios,storm,memory").split(","));
const partial = Boolean(rows?.trim()) || process.env.BENCH_PARTS !== undefined;
const storm = { logins: 32, readsPerSecond: 100, connections: 10, quietMs: 3000 };
const stormModes = ["session (SQLite)", "JWT HS256"];
const sessionCount = 10_000;
const outputDir = fileURLToPath(new URL("../../../docs/generated/", import.meta.url));

const startedMs = performance.now();
const log = (line: string) =>
  console.log(`[${((performance.now() - startedMs) / 1000).toFixed(0)} s] ${line}`);
const dataDir = mkdtempSync(join(tmpdir(), "session-vs-jwt-bench-"));
const services = await findServices(process.env);
// PostgreSQL is shared: this run's rows go in a schema of its own, dropped at the end.
const schemas = services.databaseUrl
  ? postgresTestSchemas(services.databaseUrl, "bench")
  : undefined;
if (schemas) services.databaseUrl = await schemas.create();

try {
  // Start-up: a server per mode and a baseline for each, each in its own process; meanwhile
  // the storm's accounts are made here, in the SQLite store those servers share.
  const [fleet, shoppers] = await Promise.all([
    startFleet(dataDir, services, rows),
    createShoppers({ kind: "sqlite", file: join(dataDir, "shop.sqlite") }, storm.logins),
  ]);
  log(`${fleet.modes.length} modes and their baselines running, each in its own process`);
  const { productId } = fleet;
  const noCredentials = await credentialsFor("baseline", "", "");
  const bytes: BytesRow[] = [];
  const ratios: RatioRow[] = [];
  const stormRows: StormRow[] = [];
  try {
    // Bytes first, while nothing writes to the cart: both answers must carry the same body.
    for (const { mode, server, credentials, baseline } of fleet.modes) {
      const target = { origin: server.origin, prefix: mode.prefix, credentials };
      bytes.push(await measureBytes(mode.name, target, baseline));
    }

    // Throughput: each mode against the baseline of its prefix, reads then writes.
    for (const { mode, server, credentials, baseline } of parts.has("ratios") ? fleet.modes : []) {
      // Each side with the pid of its server, whose CPU time the comparison reads.
      const baselineSide = (target: LoadTarget) => ({ ...target, pid: baseline.pid });
      const modeSide = (target: LoadTarget) => ({ ...target, pid: server.pid });
      const routes = [
        {
          route: "cart read" as const,
          baseline: baselineSide(cartRead(baseline.origin, mode.prefix, noCredentials)),
          mode: modeSide(cartRead(server.origin, mode.prefix, credentials)),
        },
        {
          route: "cart write" as const,
          baseline: baselineSide(cartWrite(baseline.origin, mode.prefix, noCredentials, productId)),
          mode: modeSide(cartWrite(server.origin, mode.prefix, credentials, productId)),
        },
      ];
      for (const route of routes) {
        const result = await compare(route.baseline, route.mode, settings);
        ratios.push({ mode: mode.name, family: mode.family, route: route.route, ...result });
        const cpu = result.cpu ? `; by server CPU ${result.cpu.ratio.toFixed(2)}x` : "";
        log(`${mode.name}, ${route.route}: ${formatRatio(result.ratio)}${cpu}`);
      }
    }

    // Cart reads while logins hash passwords, in the two default configurations.
    for (const { mode, server, credentials } of fleet.modes) {
      if (!parts.has("storm") || !stormModes.includes(mode.name)) continue;
      const reads = cartRead(server.origin, mode.prefix, credentials);
      const login = { origin: server.origin, prefix: mode.prefix };
      const result = await loginStorm(reads, login, shoppers, storm);
      stormRows.push({ mode: mode.name, logins: storm.logins, ...result });
      log(
        `${mode.name}: cart p99 ${result.quietP99Ms} ms quiet, ${result.stormP99Ms} ms during ` +
          `${storm.logins} logins (${result.stormSeconds.toFixed(1)} s, ${result.loginsRefused} refused)`,
      );
    }
    await logOutSessions(fleet);
  } finally {
    await fleet.stop();
  }

  // Memory per live session, store by store, once the servers are gone.
  const sessionModes = parts.has("memory") ? fleet.modes.map((entry) => entry.mode) : [];
  const memory = await measureSessionMemory(sessionModes, sessionCount, log);

  const report: BenchReport = {
    date: new Date(),
    machine: thisMachine(),
    settings,
    ratios,
    storm: { threadPool: threadPoolNote(storm, availableParallelism()), rows: stormRows },
    bytes,
    memory: {
      sessions: sessionCount,
      howCreated:
        "Each store got one real login (`POST /api/session/auth/login`, scrypt and all) and " +
        `then ${sessionCount.toLocaleString("en")} copies of that session's record under fresh ` +
        "random ids, written through the store's own `set()` in a process that runs the session " +
        "backend's app: the records are those real logins make, without an hour of scrypt.",
      rows: memory.rows,
    },
    skipped: [...fleet.skipped, ...memory.skipped],
    totalSeconds: (performance.now() - startedMs) / 1000,
  };
  const markdown = renderMarkdown(report);
  console.log(`\n${markdown}`);
  if (partial) {
    log("a partial run (BENCH_ROWS or BENCH_PARTS): docs/generated left as it was");
  } else {
    mkdirSync(outputDir, { recursive: true });
    writeFileSync(join(outputDir, "bench.md"), markdown);
    writeFileSync(join(outputDir, "bench.svg"), renderSvg(report));
    log("wrote docs/generated/bench.md and docs/generated/bench.svg");
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  await schemas?.dropAll();
}
