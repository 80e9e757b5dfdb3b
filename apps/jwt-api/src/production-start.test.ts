import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEntry } from "@repo/shop/testing";
import { insecureFastScryptParamsForTests as fast, openSqliteStore } from "@repo/store";
import { afterAll, describe, expect, it } from "vitest";

const tempDir = mkdtempSync(join(tmpdir(), "jwt-api-production-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe("starting with NODE_ENV=production", () => {
  it("refuses a database first created in development, whose demo accounts have public passwords, and says how to remove them", async () => {
    const dataDir = join(tempDir, "dev-first");
    await (await openSqliteStore({ file: join(dataDir, "shop.sqlite"), scrypt: fast })).close();
    const { outcome, output } = await startEntry(join(import.meta.dirname, "index.ts"), {
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      PORT: "0",
      JWT_SECRET: randomBytes(32).toString("base64url"),
    });
    expect(outcome).toBe(1);
    expect(output).toContain("alice");
    expect(output).toContain("npm run remove-demo-accounts");
  }, 60_000);
});
