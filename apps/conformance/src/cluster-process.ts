// Test support: `npm run start:cluster` of one backend as a real process group, on a free port,
// with the settings a test chooses, and a way to read what its primary logs.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listenOn } from "@repo/shop/testing";

export type Backend = "session-api" | "jwt-api";

/** Limits that only catch a hang: a busy 2-core machine starts tsx and three processes slowly. */
const startLimitMs = 120_000;
const stopLimitMs = 20_000;

export interface RunningCluster {
  origin: string;
  /** Waits for a line the cluster prints (after `since` characters of output); returns its match. */
  waitForLine(pattern: RegExp, since?: number): Promise<RegExpMatchArray>;
  /** How many characters the cluster has printed so far, to wait only for later lines. */
  outputLength(): number;
  /** What the cluster printed after `since` characters. */
  outputSince(since: number): string;
  /** The process id of a serving instance, from the primary's log. */
  pidOf(instanceName: string): number;
  stop(): Promise<void>;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOn(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The backend's folder, found through its public entry (`src/server.ts`). */
function appDir(backend: Backend): string {
  return dirname(dirname(fileURLToPath(import.meta.resolve(`@repo/${backend}`))));
}

const running = new Set<ChildProcess>();
// Whatever happens to the test run, no cluster outlives it.
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts `npm run start:cluster` of a backend with only the given settings (plus PATH and HOME),
 * over a fresh DATA_DIR, and resolves once both instances serve.
 */
export async function startClusterProcess(
  backend: Backend,
  settings: Record<string, string>,
): Promise<RunningCluster> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `cluster-${backend}-`));
  const child = spawn("npm", ["run", "start:cluster"], {
    cwd: appDir(backend),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "development",
      DATA_DIR: dataDir,
      PORT: String(port),
      ...settings,
    },
    // Its own process group, so one signal reaches npm, tsx, the primary and every instance.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const wake of waiters) wake();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      for (const wake of waiters) wake();
      resolve();
    }),
  );

  const waitForLine = (pattern: RegExp, since = 0, limitMs = startLimitMs) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no line matching ${pattern} within ${limitMs} ms; output:\n${output}`));
      }, limitMs);
      function check() {
        const match = output.slice(since).match(pattern);
        if (match || exited) {
          clearTimeout(timer);
          waiters.delete(check);
          if (match) resolve(match);
          else
            reject(new Error(`the cluster exited before printing ${pattern}; output:\n${output}`));
        }
      }
      waiters.add(check);
      check();
    });

  const stop = async () => {
    killGroup(child, "SIGTERM");
    const stopped = await Promise.race([
      exit.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), stopLimitMs)),
    ]);
    // Instances that did not finish in time, or anything the first signal missed.
    killGroup(child, "SIGKILL");
    running.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
    if (!stopped) throw new Error(`the cluster did not stop within ${stopLimitMs} ms`);
  };

  try {
    await waitForLine(new RegExp(`instance ${backend}-1 \\(pid \\d+\\) is serving`));
    await waitForLine(new RegExp(`instance ${backend}-2 \\(pid \\d+\\) is serving`));
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }

  return {
    origin: `http://127.0.0.1:${port}`,
    waitForLine: (pattern, since) => waitForLine(pattern, since),
    outputLength: () => output.length,
    outputSince: (since) => output.slice(since),
    pidOf(instanceName) {
      const escaped = instanceName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const match = output.match(new RegExp(`instance ${escaped} \\(pid (\\d+)\\) is serving`));
      if (!match?.[1])
        throw new Error(`no instance ${instanceName} has served; output:\n${output}`);
      return Number(match[1]);
    },
    stop,
  };
}
