import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insecureFastScryptParamsForTests as fast, openSqliteStore } from "@repo/store";
import { afterAll, describe, expect, it } from "vitest";

const tempDir = mkdtempSync(join(tmpdir(), "session-api-production-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

/** Starts `src/index.ts` with `env`; resolves with its exit code and output, or "listening". */
function start(
  env: Record<string, string>,
): Promise<{ outcome: number | "listening"; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: join(import.meta.dirname, ".."),
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

describe("starting with NODE_ENV=production", () => {
  it("refuses a database first created in development, whose demo accounts have public passwords, and says how to remove them", async () => {
    const dataDir = join(tempDir, "dev-first");
    await (await openSqliteStore({ file: join(dataDir, "shop.sqlite"), scrypt: fast })).close();
    const { outcome, output } = await start({
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      PORT: "0",
      SESSION_SECRET: randomBytes(32).toString("base64url"),
    });
    expect(outcome).toBe(1);
    expect(output).toContain("alice");
    expect(output).toContain("npm run remove-demo-accounts");
  }, 60_000);
});
