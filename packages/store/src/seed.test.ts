import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { demoUsers } from "@repo/contract";
import { afterAll, describe, expect, it } from "vitest";
import { insecureFastScryptParamsForTests as fast } from "./passwords";
import { demoProducts } from "./seed";
import { openSqliteStore } from "./sqlite";

const run = promisify(execFile);
const tempDir = mkdtempSync(join(tmpdir(), "store-seed-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
const child = join(import.meta.dirname, "seed-race.child.ts");

describe("seeding", () => {
  // The limit only catches a hang: four tsx start-ups on a busy 2-core machine can take a minute.
  it("seeds once when two processes open the same new file at the same moment", async () => {
    for (const round of [1, 2]) {
      const file = join(tempDir, `race-${round}`, "shop.db");
      const startAtMs = String(Date.now() + 1500); // past both processes' start-up
      const outputs = await Promise.all(
        [1, 2].map(() => run(process.execPath, ["--import", "tsx", child, file, startAtMs])),
      );
      for (const { stdout, stderr } of outputs) {
        expect(stdout).toBe("opened\n");
        expect(stderr).toBe("");
      }

      const store = await openSqliteStore({ file, scrypt: fast });
      const count = (table: string) =>
        store.database.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
      expect(count("users")).toBe(demoUsers.length);
      expect(count("products")).toBe(demoProducts.length);
      expect(await store.users.verifyCredentials("bob", "builder42")).toBeDefined();
      await store.close();
    }
  }, 120_000);

  it("seeds the same catalogue as the demo list, with slug ids and integer prices", async () => {
    const store = await openSqliteStore({ file: ":memory:", scrypt: fast });
    expect(await store.products.listProducts()).toEqual(demoProducts);
    await store.close();
  });
});
