// Cart reads at a steady rate while a burst of logins runs: do logins stall the shop?
import { logIn } from "./clients";
import { type LoadTarget, runWindow, startLoad } from "./load";

export interface StormSettings {
  logins: number;
  /** Cart reads per second, spread over `connections`: a steady shop, not a flood. */
  readsPerSecond: number;
  connections: number;
  quietMs: number;
}

export interface StormResult {
  stormSeconds: number;
  requestsPerSecond: number;
  quietP99Ms: number;
  stormP99Ms: number;
}

const longestStormMs = 120_000;

export async function loginStorm(
  reads: LoadTarget,
  login: { origin: string; prefix: string },
  settings: StormSettings,
): Promise<StormResult> {
  const load = { connections: settings.connections, overallRate: settings.readsPerSecond };
  const quiet = await runWindow(reads, { ...load, durationMs: settings.quietMs });

  const running = startLoad(reads, { ...load, durationMs: longestStormMs });
  const startedMs = performance.now();
  try {
    // Every login hashes the password with scrypt on libuv's thread pool, so all of them at
    // once queue there; the cart reads need no thread from that pool.
    await Promise.all(
      Array.from({ length: settings.logins }, async () => {
        await (await logIn(login.origin, login.prefix)).arrayBuffer();
      }),
    );
  } finally {
    running.stop();
  }
  const stormMs = performance.now() - startedMs;
  const storm = await running.result;
  return {
    stormSeconds: stormMs / 1000,
    requestsPerSecond: storm.perSecond,
    quietP99Ms: quiet.p99Ms,
    stormP99Ms: storm.p99Ms,
  };
}

/** What the servers ran the storm with, and why that number; a paragraph of the report. */
export function threadPoolNote(settings: StormSettings, cpus: number): string {
  const size = process.env.UV_THREADPOOL_SIZE;
  const inUse = size
    ? `UV_THREADPOOL_SIZE=${size}, as the bench was started with`
    : "UV_THREADPOOL_SIZE unset, so libuv's default of 4 threads";
  return (
    `The servers ran with ${inUse}. scrypt (128 MiB, about half a second per login) runs on ` +
    "that pool, so that many logins hash at once and the rest queue; the cart route never " +
    "waits for the pool (SQLite calls are synchronous, Redis is a socket), only for the CPU " +
    `the hashing threads take from its event loop. On ${cpus} CPUs a larger pool would only ` +
    "add threads competing for the same cores, and a smaller one would make logins queue " +
    `longer. ${settings.logins} logins start at once while cart reads arrive at a steady ` +
    `${settings.readsPerSecond} per second over ${settings.connections} connections; the ` +
    `quiet p99 is the same load for ${settings.quietMs / 1000} s just before.`
  );
}
