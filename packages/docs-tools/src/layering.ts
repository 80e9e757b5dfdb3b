import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

// The apps sit on top: a package under packages/ is a building block, so it never depends on an
// app, and an app is entered through one public file, never through a wildcard into its src/.

const dependencyFields = [
  "dependencies",
  "devDependencies",
  "peerDependencies",
  "optionalDependencies",
] as const;

interface Manifest {
  name?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** One workspace: its folder relative to the root (`apps/web`) and its package.json. */
export interface Workspace {
  dir: string;
  manifest: Manifest;
}

/** The workspaces in `apps/` or `packages/`, sorted by folder. */
export function workspacesIn(root: string, group: "apps" | "packages"): Workspace[] {
  const base = join(root, group);
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, "package.json")))
    .map((entry) => ({
      dir: `${group}/${entry.name}`,
      manifest: JSON.parse(readFileSync(join(base, entry.name, "package.json"), "utf8")),
    }))
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Every key and target in an `exports` field that holds a `*` pattern. */
function wildcards(exports: unknown, key = "exports"): string[] {
  if (typeof exports === "string") return exports.includes("*") ? [`${key}: "${exports}"`] : [];
  if (exports === null || typeof exports !== "object") return [];
  return Object.entries(exports).flatMap(([subpath, target]) =>
    subpath.includes("*") ? [`"${subpath}"`] : wildcards(target, `"${subpath}"`),
  );
}

/** Every file an `exports` field points at, pattern-free ones only. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return exports.includes("*") ? [] : [exports];
  if (exports === null || typeof exports !== "object") return [];
  return Object.values(exports).flatMap(exportTargets);
}

/** Source files of a workspace (`.ts`/`.tsx`, outside node_modules). */
function sourceFiles(root: string, dir: string): string[] {
  const src = join(root, dir, "src");
  if (!existsSync(src)) return [];
  return readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.includes("node_modules"));
}

/** What breaks the layering, one line each; empty when the apps sit on top. */
export function layeringProblems(root: string): string[] {
  const apps = workspacesIn(root, "apps");
  const packages = workspacesIn(root, "packages");
  const appNames = apps.flatMap(({ manifest }) => (manifest.name ? [manifest.name] : []));
  const problems: string[] = [];

  for (const { dir, manifest } of packages) {
    for (const field of dependencyFields) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        if (appNames.includes(name)) {
          problems.push(`${dir}/package.json: ${field} names the app ${name}`);
        }
      }
    }
    for (const file of sourceFiles(root, dir)) {
      const text = readFileSync(file, "utf8");
      for (const name of appNames) {
        if (new RegExp(`(?:from|import)\\s*\\(?\\s*["']${name}(?:/[^"']*)?["']`).test(text)) {
          problems.push(`${relative(root, file)}: imports the app ${name}`);
        }
      }
    }
  }

  for (const { dir, manifest } of apps) {
    for (const pattern of wildcards(manifest.exports)) {
      problems.push(
        `${dir}/package.json: exports ${pattern} opens every file in the app; export one public entry`,
      );
    }
  }

  for (const { dir, manifest } of [...apps, ...packages]) {
    for (const target of exportTargets(manifest.exports)) {
      if (!existsSync(join(root, dir, target))) {
        problems.push(`${dir}/package.json: exports points at ${target}, which does not exist`);
      }
    }
  }
  return problems;
}
