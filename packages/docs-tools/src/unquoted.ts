import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { checkChapters } from "./docs";
import { scanRegions } from "./regions";

/** The folders whose sources may hold regions for the docs to quote. */
const sourceFolders = ["apps", "packages"];

/** Every .ts/.tsx source under `apps/` and `packages/`, outside node_modules, repo-relative. */
function sourceFiles(root: string): string[] {
  return sourceFolders.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
      .map((entry) => relative(root, join(entry.parentPath, entry.name)))
      .filter((path) => !path.split(sep).includes("node_modules")),
  );
}

/**
 * The regions no chapter quotes or links (`path#region`). A region marks code a chapter walks
 * through; one that nobody quotes is a promise the docs never kept: quote it, or drop its
 * markers.
 */
export function unquotedRegions(root: string): string[] {
  const cited = new Set(
    checkChapters(root)
      .flatMap((check) => check.includes)
      .filter((include) => include.region !== undefined)
      .map((include) => `${include.path}#${include.region}`),
  );
  return sourceFiles(root).flatMap((path) => {
    const text = readFileSync(join(root, path), "utf8");
    if (!text.includes("#region")) return [];
    return [...scanRegions(text).regions.keys()]
      .map((name) => `${path.split(sep).join("/")}#${name}`)
      .filter((target) => !cited.has(target));
  });
}
