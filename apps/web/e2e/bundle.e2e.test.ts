import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleBudgetBytes, formatKb, measureBundle } from "../scripts/bundle-size";
import { buildWeb } from "./harness";

describe("the production build", () => {
  let outDir = "";
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it("ships under 150 KB of gzipped JavaScript", async () => {
    outDir = await mkdtemp(path.join(tmpdir(), "svj-bundle-"));
    await buildWeb(outDir);
    const { files, totalGzipBytes } = await measureBundle(outDir);
    console.log(
      `built JavaScript: ${formatKb(totalGzipBytes)} gzipped (${Object.keys(files).length} files)`,
    );
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expect(totalGzipBytes).toBeLessThan(bundleBudgetBytes);
  });
});
