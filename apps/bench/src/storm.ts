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
