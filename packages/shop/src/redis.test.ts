import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { HttpError } from "./http-error";
import { closeRedis, connectRedis, type RedisConnection, withRedis } from "./redis";

/** A free TCP port on 127.0.0.1, for a Redis of this test's own. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

/** Starts a throwaway redis-server (never the shared one): no persistence, killed after use. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const startMs = Date.now();
  while (!output.includes("Ready to accept connections")) {
    if (child.exitCode !== null || Date.now() - startMs > 30_000) {
      throw new Error(`redis-server did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

const hasRedisServer = await new Promise<boolean>((resolve) => {
  const probe = spawn("redis-server", ["--version"], { stdio: "ignore" });
  probe.on("error", () => resolve(false));
  probe.on("exit", (code) => resolve(code === 0));
});
if (!hasRedisServer && process.env.CI) throw new Error("CI needs redis-server for this test");

describe.skipIf(!hasRedisServer)("connectRedis and withRedis", () => {
  let server: ChildProcess | undefined;
  let client: RedisConnection | undefined;
  afterAll(async () => {
    if (client) await closeRedis(client);
    if (server) await stopRedis(server);
  });

  it("give 503 within 2 s while Redis is down, and recover when it is back", async () => {
    const port = await freePort();
    server = await startRedis(port);
    client = await connectRedis(`redis://127.0.0.1:${port}`, () => {});
    const connection = client;
    await withRedis(() => connection.set("k", "v"));

    await stopRedis(server);
    const startMs = performance.now();
    const failure = await withRedis(() => connection.get("k")).catch((error: unknown) => error);
    // A bound that only catches a hang (the client's own timeouts are about 1 s); how fast the
    // 503 comes is measured by the cluster tests' outage figures, not asserted on a busy machine.
    expect(performance.now() - startMs).toBeLessThan(15_000);
    expect(failure).toBeInstanceOf(HttpError);
    expect((failure as HttpError).code).toBe("store_unavailable");

    server = await startRedis(port);
    const deadlineMs = performance.now() + 30_000;
    let value: string | null = "not yet";
    while (performance.now() < deadlineMs) {
      value = await withRedis(() => connection.get("k")).catch(() => "not yet");
      if (value !== "not yet") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(value).toBeNull(); // a new, empty Redis: reachable again, same client
  });

  it("does not block the start when Redis is down, and connects once it is up", async () => {
    const port = await freePort();
    // Nothing listens on the port yet: reaching the next line at all shows the start is not
    // blocked waiting for Redis.
    const late = await connectRedis(`redis://127.0.0.1:${port}`, () => {});
    try {
      await expect(withRedis(() => late.ping())).rejects.toBeInstanceOf(HttpError);
      const lateServer = await startRedis(port);
      try {
        const deadlineMs = performance.now() + 30_000;
        let reply = "";
        while (performance.now() < deadlineMs && reply !== "PONG") {
          reply = await withRedis(() => late.ping()).catch(() => "");
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(reply).toBe("PONG");
      } finally {
        await stopRedis(lateServer);
      }
    } finally {
      await closeRedis(late);
    }
  });
});

describe("withRedis without a server", () => {
  it("answers 503 for a bug too, but logs it, so it does not pass for an outage", async () => {
    const logged: string[] = [];
    const bug = withRedis(
      async () => {
        throw new TypeError("WRONGTYPE Operation against a key holding the wrong kind of value");
      },
      (message) => logged.push(message),
    );
    await expect(bug).rejects.toMatchObject({ code: "store_unavailable" });
    expect(logged).toEqual([expect.stringContaining("TypeError: WRONGTYPE")]);
  });
});
