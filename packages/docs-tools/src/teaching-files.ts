import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { workspacesIn } from "./layering";

// Each app's `src/auth.ts` is the lesson, and `diff` of the two is its heart. So each stays short
// enough to read in one sitting, both open the same door (`createAuth`), and the mechanics live in
// sibling files that never import auth.ts back: the story depends on them, never the reverse.
// Only app.ts, which builds the app from it, and tests may import it.

/** Longer than this and the mechanics have crept back in: move them to a sibling file. */
export const maxTeachingFileLines = 230;

/** The teaching files that exist, relative to the root: `apps/<app>/src/auth.ts`. */
export function teachingFiles(root: string): string[] {
  return workspacesIn(root, "apps")
    .map(({ dir }) => `${dir}/src/auth.ts`)
    .filter((file) => existsSync(join(root, file)));
}

/** Lines as `wc -l` counts them. */
function lineCount(text: string): number {
  const lines = text.split("\n").length;
  return text.endsWith("\n") ? lines - 1 : lines;
}

const exportsCreateAuth =
  /export\s+(?:async\s+)?function\s+createAuth\b|export\s+(?:const|let)\s+createAuth\b|export\s*\{[^}]*\bcreateAuth\b[^}]*\}/;

/** Every module a source file names: `from "x"`, `import "x"`, `import("x")`. */
function importedSpecifiers(text: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;
  return [...text.matchAll(pattern)].flatMap((match) => (match[1] ? [match[1]] : []));
}

/** Source files under a folder, relative to the root with forward slashes. */
function sourceFilesUnder(root: string, dir: string): string[] {
  const base = join(root, dir);
  if (!existsSync(base)) return [];
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((file) => !file.includes("node_modules"));
}

/** Whether `file` may import the teaching file beside it: app.ts builds the app, tests test. */
function mayImportAuth(file: string, srcDir: string): boolean {
  return file === `${srcDir}/app.ts` || /\.test\.tsx?$/.test(file);
}

/** What breaks the teaching files' rules, one line each; empty when they hold. */
export function teachingFileProblems(root: string): string[] {
  const problems: string[] = [];
  for (const authFile of teachingFiles(root)) {
    const text = readFileSync(join(root, authFile), "utf8");
    const lines = lineCount(text);
    if (lines > maxTeachingFileLines) {
      problems.push(
        `${authFile}: ${lines} lines, over ${maxTeachingFileLines}; move mechanics to a sibling file`,
      );
    }
    if (!exportsCreateAuth.test(text)) problems.push(`${authFile}: does not export createAuth`);

    const srcDir = dirname(authFile);
    const authModule = authFile.replace(/\.ts$/, "");
    for (const file of sourceFilesUnder(root, srcDir)) {
      if (file === authFile || mayImportAuth(file, srcDir)) continue;
      const names = importedSpecifiers(readFileSync(join(root, file), "utf8"));
      const importsAuth = names.some(
        (name) =>
          name.startsWith(".") &&
          posix.join(posix.dirname(file), name).replace(/\.(?:ts|tsx|js)$/, "") === authModule,
      );
      if (importsAuth) {
        problems.push(
          `${file}: imports ${authFile}, which imports its siblings, never the reverse`,
        );
      }
    }
  }
  return problems;
}
