// Cart reads at a steady rate while a burst of logins runs: do logins stall the shop?
import { hashingConcurrency } from "@repo/shop";
import { type Account, logInFrom } from "./clients";
import { type LoadTarget, runWindow, startLoad } from "./load";

export interface StormSettings {
  logins: number;
  /** Cart reads per second, spread over `connections`: a steady shop, not a flood. */
  readsPerSecond: number;
  connections: number;
  quietMs: number;
}

export interface StormResult {
  loneLoginSeconds: number;
  stormSeconds: number;
  /** Logins the server turned away with 429 (its limit on logins in progress). */
  loginsRefused: number;
  requestsPerSecond: number;
  quietP99Ms: number;
  stormP99Ms: number;
}

const longestStormMs = 120_000;

export async function loginStorm(
  reads: LoadTarget,
  login: { origin: string; prefix: string },
  /** One account per login, `settings.logins` of them. */
  shoppers: readonly Account[],
  settings: StormSettings,
): Promise<StormResult> {
  const load = { connections: settings.connections, overallRate: settings.readsPerSecond };
  // What one login costs on its own, the first shopper's, timed before anything else runs.
  const [first] = shoppers;
  if (!first) throw new Error("a storm needs shoppers");
  const loneStartedMs = performance.now();
  const lone = await logInFrom(login.origin, login.prefix, first, "127.0.0.9");
  if (lone !== 200) throw new Error(`the lone login answered ${lone}`);
  const loneLoginSeconds = (performance.now() - loneStartedMs) / 1000;
  const quiet = await runWindow(reads, { ...load, durationMs: settings.quietMs });

  const running = startLoad(reads, { ...load, durationMs: longestStormMs });
  const startedMs = performance.now();
  let statuses: number[];
  try {
    // Every login hashes the password with scrypt on libuv's thread pool, so all of them at
    // once queue there; the cart reads need no thread from that pool. Each shopper logs in
    // from an address of their own.
    statuses = await Promise.all(
      shoppers.map((account, index) =>
        logInFrom(login.origin, login.prefix, account, `127.0.0.${10 + index}`),
      ),
    );
  } finally {
    running.stop();
  }
  const stormMs = performance.now() - startedMs;
  const storm = await running.result;
  const unexpected = statuses.filter((status) => status !== 200 && status !== 429);
  if (unexpected.length > 0) throw new Error(`logins answered ${unexpected.join(", ")}`);
  return {
    loneLoginSeconds,
    stormSeconds: stormMs / 1000,
    loginsRefused: statuses.filter((status) => status === 429).length,
    requestsPerSecond: storm.perSecond,
    quietP99Ms: quiet.p99Ms,
    stormP99Ms: storm.p99Ms,
  };
}

/** What the servers ran the storm with, and why those numbers; a paragraph of the report. */
export function threadPoolNote(settings: StormSettings, cpus: number): string {
  const size = process.env.UV_THREADPOOL_SIZE;
  const pool = size
    ? `UV_THREADPOOL_SIZE=${size}, as the bench was started with`
    : "UV_THREADPOOL_SIZE unset, so libuv's default of 4 threads";
  const hashes = hashingConcurrency(cpus);
  return (
    `The servers ran with ${pool}, and hashed at most ${hashes} password` +
    `${hashes === 1 ? "" : "s"} at once: the shop's hashing queue allows one fewer than the ` +
    `${cpus} CPUs the process may use (at least 1, at most 4), so that its event loop keeps a ` +
    "CPU of its own while logins hash; the others wait their turn in line. scrypt (128 MiB, " +
    "about half a second per login) runs on libuv's pool, and the cart route never waits for " +
    "the pool (SQLite calls are synchronous, Redis is a socket), only for the CPU the hashing " +
    "threads take from its event loop: with 4 hashes at once on the reference machine's 2 " +
    "CPUs, the cart's p99 during this storm was 60-220 ms, with 1 mostly 15-110 ms. The " +
    "pool stays at 4, more than the hashes need: it also serves file I/O and DNS lookups, which " +
    "would otherwise wait behind a hash, and more threads would not make CPU-bound hashes " +
    `finish sooner. ${settings.logins} shoppers log in at once, each with an account of their ` +
    "own (made for the run, at the same scrypt cost) and from a loopback address of their own, " +
    `while cart reads arrive at a steady ${settings.readsPerSecond} per second over ` +
    `${settings.connections} connections; the quiet p99 is the same load for ` +
    `${settings.quietMs / 1000} s just before.`
  );
}
