import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { get } from "node:http";
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

const attackerDir = path.join(repoRoot, "apps/attacker");

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
  /** Settles when the process exits (its code), or rejects when it could not be spawned. */
  ended: Promise<number | null>;
}

/** Children whose process group may still be alive, and the temp directories to remove. */
const running = new Set<Child>();
const tempDirs = new Set<string>();

// If the test process dies without cleaning up, take the whole process groups down with it.
process.once("exit", () => {
  for (const child of running) signalGroup(child, "SIGKILL");
});
// Ctrl-C, a CI cancel, a closed terminal: stop the groups, then die of the same signal.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    for (const child of running) signalGroup(child, "SIGKILL");
    process.kill(process.pid, signal);
  });
}

/**
 * Signals the child's whole process group. The group outlives its leader (tsx starts a node
 * grandchild), so it is signalled even after the leader exited; ESRCH means it is gone.
 */
function signalGroup(child: Child, signal: NodeJS.Signals | 0): boolean {
  if (child.process.pid === undefined) return false;
  try {
    process.kill(-child.process.pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** Starts a command in its own process group, so stopping it stops its children too. */
export function start(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Child {
  const spawned = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ended = new Promise<number | null>((resolve, reject) => {
    spawned.once("exit", (code) => resolve(code));
    spawned.once("error", reject); // no such command, or no permission: nothing will ever exit
  });
  const child: Child = { name, process: spawned, output: [], ended };
  const keep = (chunk: Buffer) => {
    child.output.push(...chunk.toString().split("\n").filter(Boolean));
    child.output.splice(0, Math.max(0, child.output.length - 200));
  };
  spawned.stdout?.on("data", keep);
  spawned.stderr?.on("data", keep);
  running.add(child);
  ended.then(
    () => {
      if (!signalGroup(child, 0)) running.delete(child);
    },
    () => running.delete(child),
  );
  return child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the group, SIGKILL to whatever is left of it after 5 s. */
async function stop(child: Child): Promise<void> {
  signalGroup(child, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (signalGroup(child, 0) && Date.now() < deadline) await sleep(50);
  signalGroup(child, "SIGKILL");
  running.delete(child);
}

/** Stops every child this harness started and removes its temp directories, whatever state a
 * half-finished `startStack` left them in (call it from `afterAll`, unconditionally). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map(stop));
  await Promise.all([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  tempDirs.clear();
}

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function failure(child: Child, why: string): Error {
  return new Error(`${child.name} ${why}. Last output:\n${child.output.slice(-40).join("\n")}`);
}

/** Why a child stopped early, once it has: an exit, or a spawn that failed. */
function watchEnd(child: Child): () => Error | undefined {
  let reason: Error | undefined;
  child.ended.then(
    (code) => {
      reason = failure(child, `exited with code ${code}`);
    },
    (error: Error) => {
      reason = failure(child, `could not be started (${error.message})`);
    },
  );
  return () => reason;
}

/** Polls a URL until it answers 200, failing fast if the process behind it ends. */
export async function waitForOk(url: string, child: Child, timeoutMs = 90_000): Promise<void> {
  const endedBecause = watchEnd(child);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = endedBecause();
    if (reason) throw reason;
    try {
      // A server that accepts the connection but never answers must not stall the loop.
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet, or too slow to answer this time.
    }
    await sleep(200);
  }
  throw failure(child, `did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * Waits until `count` instances of a cluster have answered `url` with 200, each named by its
 * `X-Instance`: one answering is not enough, as the other may still be starting. Each request
 * opens a new connection, which the cluster hands to the next instance in turn.
 */
async function waitForInstances(
  url: string,
  child: Child,
  count: number,
  timeoutMs = 90_000,
): Promise<void> {
  const endedBecause = watchEnd(child);
  const seen = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = endedBecause();
    if (reason) throw reason;
    const instance = await new Promise<string | undefined>((resolve) => {
      const request = get(url, { agent: false, timeout: 2_000 }, (response) => {
        response.resume();
        const name = response.headers["x-instance"];
        resolve(response.statusCode === 200 && typeof name === "string" ? name : undefined);
      });
      request.on("timeout", () => request.destroy());
      request.on("error", () => resolve(undefined));
    });
    if (instance) seen.add(instance);
    if (seen.size >= count) return;
    await sleep(200);
  }
  const answered = [...seen].join(", ") || "none";
  throw failure(
    child,
    `${count} instances did not answer ${url} within ${timeoutMs} ms (${answered})`,
  );
}

async function runToEnd(child: Child): Promise<void> {
  const code = await child.ended.catch((error: Error) => {
    throw failure(child, `could not be started (${error.message})`);
  });
  if (code !== 0) throw failure(child, `exited with code ${code}`);
}

/** `vite build` into `outDir`, in a child process (vitest's NODE_ENV=test would give React's dev build). */
async function buildWeb(outDir: string, buildEnv: NodeJS.ProcessEnv): Promise<void> {
  const args = [viteBin, "build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"];
  const env = { ...process.env, ...buildEnv, NODE_ENV: "production" };
  await runToEnd(start("vite build", process.execPath, args, { cwd: webDir, env }));
}

export interface Stack {
  baseUrl: string;
  /** The one production build, outside the working tree: served, and measured for the budget. */
  outDir: string;
  apiUrls: { session: string; jwt: string };
  /** The labs' attacker site (apps/attacker), as `http://127.0.0.1:<port>`. */
  attackerUrl: string;
  /** Stops one backend, to see what the app says when it is down. */
  stopApi(mode: "session" | "jwt"): Promise<void>;
  stop(): Promise<void>;
}

/** How to run the backends: as `npm start` does (the default), or as `npm run start:cluster`. */
export interface StackOptions {
  /** Two instances of each backend behind its port (`src/cluster.ts`), not one (`src/index.ts`). */
  cluster?: boolean;
  /** More settings for both backends, such as `SESSION_STORE`. */
  apiEnv?: NodeJS.ProcessEnv;
}

/**
 * Both real backends on free ports over one fresh data directory, then the built web app
 * served by `vite preview` with its proxy pointing at them.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = await tempDir("svj-e2e-data-");
  const outDir = await tempDir("svj-e2e-build-");
  const children: Child[] = [];
  const stopAll = async () => {
    await Promise.all(children.map(stop));
    await Promise.all([dataDir, outDir].map((dir) => rm(dir, { recursive: true, force: true })));
  };
  try {
    const [sessionPort, jwtPort, webPort, attackerPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const backendEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      JWT_SECRET: randomBytes(32).toString("hex"),
      ...options.apiEnv,
    };
    const apiUrls = {
      session: `http://127.0.0.1:${sessionPort}`,
      jwt: `http://127.0.0.1:${jwtPort}`,
    };
    const ports = { session: sessionPort, jwt: jwtPort };
    const apiChildren: Partial<Record<"session" | "jwt", Child>> = {};
    const apis = (["session", "jwt"] as const).map((mode) => {
      const entry = options.cluster ? "src/cluster.ts" : "src/index.ts";
      const child = start(`${mode}-api`, tsxBin, [entry], {
        cwd: backends[mode].dir,
        env: { ...backendEnv, PORT: String(ports[mode]) },
      });
      children.push(child);
      apiChildren[mode] = child;
      const health = `${apiUrls[mode]}${backends[mode].prefix}/health`;
      return options.cluster ? waitForInstances(health, child, 2) : waitForOk(health, child);
    });
    const webEnv = {
      ...process.env,
      SESSION_API_URL: apiUrls.session,
      JWT_API_URL: apiUrls.jwt,
      PORT: String(webPort),
      // The build and the server both learn where the attacker site is (CSP, labs).
      ATTACKER_ORIGINS: `http://localhost:${attackerPort},http://127.0.0.1:${attackerPort}`,
    };
    // The attacker site of the labs: another origin, trusting only this stack's web app; the
    // build and the preview server learn its port from ATTACKER_ORIGINS (5174 by default).
    const attacker = start("attacker", tsxBin, ["src/index.ts"], {
      cwd: attackerDir,
      env: {
        ...process.env,
        PORT: String(attackerPort),
        LAB_ORIGIN: `http://127.0.0.1:${webPort}`,
      },
    });
    children.push(attacker);
    const attackerUrl = `http://127.0.0.1:${attackerPort}`;
    await Promise.all([...apis, waitForOk(`${attackerUrl}/`, attacker), buildWeb(outDir, webEnv)]);

    const web = start("vite preview", process.execPath, [viteBin, "preview", "--outDir", outDir], {
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
    return { baseUrl, outDir, apiUrls, attackerUrl, stopApi, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
