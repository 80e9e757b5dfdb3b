import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const webDir = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = path.resolve(webDir, "../..");
const require = createRequire(import.meta.url);
const viteBin = path.join(path.dirname(require.resolve("vite/package.json")), "bin/vite.js");
const tsxBin = path.join(repoRoot, "node_modules/.bin/tsx");

export const backends = {
  session: { dir: path.join(repoRoot, "apps/session-api"), prefix: "/api/session" },
  jwt: { dir: path.join(repoRoot, "apps/jwt-api"), prefix: "/api/jwt" },
} as const;

/** True once both backends have an entry point to start. */
export function backendsExist(): boolean {
  return Object.values(backends).every((backend) =>
    existsSync(path.join(backend.dir, "src/index.ts")),
  );
}

/** A port nobody listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

interface Child {
  name: string;
  process: ChildProcess;
  output: string[];
}

const running = new Set<Child>();

// If the test process dies without cleaning up, take the whole process groups down with it.
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

function killGroup(child: Child, signal: NodeJS.Signals): void {
  if (
    child.process.pid === undefined ||
    child.process.exitCode !== null ||
    child.process.signalCode !== null
  )
    return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Starts a command in its own process group, so stopping it stops its children too. */
function start(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Child {
  const child: Child = {
    name,
    process: spawn(command, args, {
      ...options,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    }),
    output: [],
  };
  const keep = (chunk: Buffer) => {
    child.output.push(...chunk.toString().split("\n").filter(Boolean));
    child.output.splice(0, Math.max(0, child.output.length - 200));
  };
  child.process.stdout?.on("data", keep);
  child.process.stderr?.on("data", keep);
  running.add(child);
  child.process.once("exit", () => running.delete(child));
  return child;
}

async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function failure(child: Child, why: string): Error {
  return new Error(`${child.name} ${why}. Last output:\n${child.output.slice(-40).join("\n")}`);
}

/** Polls a URL until it answers 200, failing fast if the process behind it exits. */
async function waitForOk(url: string, child: Child, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null)
      throw failure(child, `exited with code ${child.process.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw failure(child, `did not answer ${url} within ${timeoutMs} ms`);
}

async function runToEnd(child: Child): Promise<void> {
  const code = await new Promise<number | null>((resolve) => child.process.once("exit", resolve));
  if (code !== 0) throw failure(child, `exited with code ${code}`);
}

/** `vite build` in a child process (vitest's own NODE_ENV=test would give React's dev build). */
export async function buildWeb(outDir?: string): Promise<void> {
  const args = [
    viteBin,
    "build",
    "--logLevel",
    "warn",
    ...(outDir ? ["--outDir", outDir, "--emptyOutDir"] : []),
  ];
  const env = { ...process.env, NODE_ENV: "production" };
  await runToEnd(start("vite build", process.execPath, args, { cwd: webDir, env }));
}

export interface Stack {
  baseUrl: string;
  apiUrls: { session: string; jwt: string };
  /** Stops one backend, to see what the app says when it is down. */
  stopApi(mode: "session" | "jwt"): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Both real backends on free ports over one fresh data directory, then the built web app
 * served by `vite preview` with its proxy pointing at them.
 */
export async function startStack(): Promise<Stack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "svj-e2e-data-"));
  const children: Child[] = [];
  const stopAll = async () => {
    await Promise.all(children.map(stop));
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const [sessionPort, jwtPort, webPort] = [await freePort(), await freePort(), await freePort()];
    const backendEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      JWT_SECRET: randomBytes(32).toString("hex"),
    };
    const apiUrls = {
      session: `http://127.0.0.1:${sessionPort}`,
      jwt: `http://127.0.0.1:${jwtPort}`,
    };
    const ports = { session: sessionPort, jwt: jwtPort };
    const apiChildren: Partial<Record<"session" | "jwt", Child>> = {};
    const apis = (["session", "jwt"] as const).map((mode) => {
      const child = start(`${mode}-api`, tsxBin, ["src/index.ts"], {
        cwd: backends[mode].dir,
        env: { ...backendEnv, PORT: String(ports[mode]) },
      });
      children.push(child);
      apiChildren[mode] = child;
      return waitForOk(`${apiUrls[mode]}${backends[mode].prefix}/health`, child);
    });
    const webEnv = {
      ...process.env,
      SESSION_API_URL: apiUrls.session,
      JWT_API_URL: apiUrls.jwt,
      PORT: String(webPort),
    };
    await Promise.all([...apis, buildWeb()]);

    const web = start("vite preview", process.execPath, [viteBin, "preview"], {
      cwd: webDir,
      env: webEnv,
    });
    children.push(web);
    const baseUrl = `http://127.0.0.1:${webPort}`;
    await waitForOk(`${baseUrl}/`, web);
    const stopApi = async (mode: "session" | "jwt") => {
      const child = apiChildren[mode];
      if (child) await stop(child);
    };
    return { baseUrl, apiUrls, stopApi, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
