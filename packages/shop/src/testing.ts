// Test support shared by both backends' tests and the conformance suite. Imported only as
// "@repo/shop/testing", never from the package's index, so no app loads it at run time.

import { spawn } from "node:child_process";
import type { RequestListener } from "node:http";
import { createServer, type Server } from "node:http";
import { dirname } from "node:path";
import { demoUsers } from "@repo/contract";
import { listenOn } from "@repo/store/testing";
import { LoginThrottle } from "./login-throttle";

// The TCP proxy (cut or stall a connection to Redis or PostgreSQL) and listenOn live in the store
// package, whose own outage tests need them; re-exported so app tests find every helper here.
export { listenOn, startTcpProxy, type TcpProxy } from "@repo/store/testing";

/** A demo account's username and password, as the login form sends them (docs/api.md). */
function demoCredentials(username: string): { username: string; password: string } {
  const user = demoUsers.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no demo user ${username} in @repo/contract`);
  return { username: user.username, password: user.password };
}

/**
 * A login throttle that lets two password checks hash at once, as on a machine with three CPUs or
 * more, or as two instances do: on two CPUs `hashingConcurrency` allows one, and a second check
 * waits for the first, so a test could not hold one check while another runs.
 */
export function throttleHashingTwoAtOnce(): LoginThrottle {
  return new LoginThrottle({ hashing: { maxConcurrent: 2, maxWaiting: 8, maxPerAddress: 2 } });
}

export const alice = demoCredentials("alice");
export const bob = demoCredentials("bob");
/** The staff demo account. */
export const sam = demoCredentials("sam");

/**
 * The Redis the tests may use (REDIS_URL), or undefined, and then Redis tests skip. In CI a
 * missing one is an error, so Redis tests can never skip silently there.
 */
export function redisUrlForTests(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.REDIS_URL || undefined;
  if (!url && env.CI) throw new Error("CI must set REDIS_URL: the Redis tests need it.");
  return url;
}

/** An app on a real port, for tests that need real concurrent connections or a restart. */
export interface Listening {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>`, with no trailing slash. */
  url: string;
  /** Closes every connection, idle or not, then the server. */
  close(): Promise<void>;
}

/** Serves an Express app (or any request listener) on 127.0.0.1, on `port` or a free one. */
export async function listen(app: RequestListener, port = 0): Promise<Listening> {
  const server = createServer(app);
  const actualPort = await listenOn(server, port);
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Runs an app's entry file (its `src/index.ts`, an absolute path) through tsx in a child process
 * with only `env` and PATH, as a deploy would start it. Resolves with the exit code and the
 * output once it exits, or with "listening" once it logs "listening on" (it is then stopped).
 */
export function startEntry(
  entry: string,
  env: Record<string, string>,
): Promise<{ outcome: number | "listening"; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: dirname(entry),
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) {
        child.kill("SIGTERM");
        resolve({ outcome: "listening", output });
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("error", reject);
    child.on("exit", (code) => resolve({ outcome: code ?? -1, output }));
  });
}
