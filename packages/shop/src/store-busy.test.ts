import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorBodySchema } from "@repo/contract";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createTestShop } from "./test-app";
import { type Listening, listen } from "./testing";

const tempDir = mkdtempSync(join(tmpdir(), "shop-busy-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

// Another process that opens the file, takes the write lock and keeps it until told to stop.
const holdLockScript = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.exec("BEGIN IMMEDIATE");
process.stdout.write("locked\\n");
process.stdin.on("data", () => { db.exec("ROLLBACK"); db.close(); process.exit(0); });
`;

async function holdWriteLock(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", holdLockScript, file], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  expect(chunk.toString()).toBe("locked\n");
  return child;
}

async function release(child: ChildProcess): Promise<void> {
  const exited = once(child, "exit");
  child.stdin?.write("done\n");
  await exited;
}

let shop: Awaited<ReturnType<typeof createTestShop>> | undefined;
let server: Listening | undefined;
let holder: ChildProcess | undefined;
afterEach(async () => {
  if (holder && holder.exitCode === null) await release(holder);
  await server?.close();
  await shop?.store.close();
});

const addHammer = (url: string) =>
  fetch(`${url}/api/test/cart/items`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Test-User": "alice" },
    body: JSON.stringify({ productId: "claw-hammer", quantity: 1 }),
  });

describe("a SQLite file another process holds the write lock of", () => {
  it("answers a write 503 store_unavailable and keeps answering /health meanwhile", async () => {
    shop = await createTestShop({ file: join(tempDir, "locked", "shop.sqlite") });
    server = await listen(shop.app);
    const { url } = server;
    holder = await holdWriteLock(join(tempDir, "locked", "shop.sqlite"));

    const answered: string[] = [];
    const add = addHammer(url).then((res) => {
      answered.push("cart");
      return res;
    });
    // Wait until the write has reached the server, then ask for /health: a process frozen in
    // SQLite's busy wait could only answer it after the write gave up.
    await expect.poll(() => connectionCount(server), { timeout: 15_000 }).toBeGreaterThan(0);
    const health = await fetch(`${url}/api/test/health`);
    answered.push("health");
    expect(health.status).toBe(200);

    const refused = await add;
    expect(answered).toEqual(["health", "cart"]);
    expect(refused.status).toBe(503);
    expect(errorBodySchema.parse(await refused.json()).error.code).toBe("store_unavailable");

    await release(holder);
    expect((await addHammer(url)).status).toBe(200);
  }, 30_000);
});

function connectionCount(listening: Listening | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    listening?.server.getConnections((error, count) => (error ? reject(error) : resolve(count)));
  });
}
