import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** The web app's budget: the JavaScript a first page load needs, gzipped. */
export const initialBudgetBytes = 100 * 1024;

/** One chunk in Vite's `.vite/manifest.json` (`build.manifest`), as far as it is read here. */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  /** Chunks this one imports statically: they load with it. */
  imports?: string[];
}

export interface BundleSizes {
  /** Gzipped bytes of every `.js` file of the build. */
  files: Record<string, number>;
  totalGzipBytes: number;
  /** The entry chunk and everything it imports statically: what the first load fetches. */
  initialFiles: string[];
  initialGzipBytes: number;
}

/**
 * Gzipped size of every `.js` file under `distDir`, and of the initial ones: the entry chunks
 * of Vite's manifest and what they import statically. Chunks reached only through `import()`
 * (the docs panel, each chapter) load later, on demand, and are not initial.
 */
export async function measureBundle(distDir: string): Promise<BundleSizes> {
  const entries = await readdir(distDir, { recursive: true });
  const files: Record<string, number> = {};
  for (const entry of entries.filter((name) => name.endsWith(".js")).sort()) {
    files[entry] = gzipSync(await readFile(path.join(distDir, entry)), { level: 9 }).length;
  }
  const manifestFile = path.join(distDir, ".vite", "manifest.json");
  const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as Record<
    string,
    ManifestChunk
  >;
  const initial = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const initialFiles = [...initial].filter((file) => file.endsWith(".js")).sort();
  const missing = initialFiles.filter((file) => files[file] === undefined);
  if (missing.length > 0) throw new Error(`the manifest names files not built: ${missing}`);
  const sum = (names: readonly string[]) =>
    names.reduce((total, name) => total + (files[name] ?? 0), 0);
  return {
    files,
    totalGzipBytes: sum(Object.keys(files)),
    initialFiles,
    initialGzipBytes: sum(initialFiles),
  };
}

export function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
