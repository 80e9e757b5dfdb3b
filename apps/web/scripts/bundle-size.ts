import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** The web app's budget: all built JavaScript, gzipped. */
export const bundleBudgetBytes = 150 * 1024;

/** Gzipped size of every `.js` file under `distDir`, per file and in total. */
export async function measureBundle(
  distDir: string,
): Promise<{ files: Record<string, number>; totalGzipBytes: number }> {
  const entries = await readdir(distDir, { recursive: true });
  const files: Record<string, number> = {};
  for (const entry of entries.filter((name) => name.endsWith(".js")).sort()) {
    files[entry] = gzipSync(await readFile(path.join(distDir, entry)), { level: 9 }).length;
  }
  const totalGzipBytes = Object.values(files).reduce((sum, bytes) => sum + bytes, 0);
  return { files, totalGzipBytes };
}

export function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
