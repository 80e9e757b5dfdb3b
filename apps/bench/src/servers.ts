// Starting each server in a process of its own, waiting until it answers, and stopping it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** `node --import tsx <entry>`: one process per server (the tsx CLI would add a wrapper). */
const tsxLoader = import.meta.resolve("tsx");
const startTimeoutMs = 90_000; // a cold start compiles TypeScript, on a machine others share
const stopTimeoutMs = 5_000;

/** An app's entry point, e.g. `appEntry("session-api")` for apps/session-api/src/index.ts. */
export function appEntry(app: string): string {
  return fileURLToPath(new URL(`../../${app}/src/index.ts`, import.meta.url));
}

export interface ServerSpec {
  /** For messages only, e.g. "session (SQLite)". */
  name: string;
  entry: string;
  /** `/api/session` or `/api/jwt`: where `/health` is. */
  prefix: string;
  env: Record<string, string>;
}

export interface RunningServer {
  name: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  prefix: string;
  pid: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

// Whatever happens to the bench, its servers do not outlive it.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A port nobody listens on right now: the OS picks it, we release it for the server. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

/** Only what a server needs from our environment; the spec says everything else. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG", "UV_THREADPOOL_SIZE"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Spawns the server and resolves once `GET <prefix>/health` answers 200. */
export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", tsxLoader, spec.entry], {
    env: { ...baseEnv(), ...spec.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let stopping = false;
  const exited = once(child, "exit").then(([code, signal]) => {
    running.delete(child);
    // A server that dies under load would show up as connection errors; say why it died.
    if (!stopping && listening) {
      console.error(`${spec.name} exited (${signal ?? code}) during the run:\n${output.trim()}`);
    }
  });
  const origin = `http://127.0.0.1:${port}`;
  let listening = false;

  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ServerStartError(spec.name, output.trim());
    }
    const healthy = await fetch(`${origin}${spec.prefix}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) {
      listening = true;
      return { name: spec.name, origin, prefix: spec.prefix, pid: child.pid ?? 0, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new ServerStartError(spec.name, `no answer from /health within ${startTimeoutMs} ms`);
}

/** A server that exited or never answered; `output` is the end of what it printed. */
export class ServerStartError extends Error {
  override name = "ServerStartError";
  constructor(
    readonly server: string,
    readonly output: string,
  ) {
    super(`${server} did not start: ${output || "(no output)"}`);
  }
}
