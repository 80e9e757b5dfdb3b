import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type Include, renderIncludes } from "./include";

/** The repository root, two folders above this package's `src/`. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The command that brings every excerpt up to date; failures name it. */
export const renderCommand = "npm run render -w packages/docs-tools";

/** Every markdown file under `dir`, sorted; `docs/generated/` is included (it may hold links). */
export function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The chapters that may include excerpts: markdown under `docs/`, except what is generated. */
export function chapterFiles(root: string): string[] {
  const generated = join(root, "docs", "generated");
  return markdownFiles(join(root, "docs")).filter((file) => !file.startsWith(generated));
}

export interface ChapterCheck {
  file: string;
  includes: Include[];
  problems: string[];
  /** Whether the file on disk differs from what rendering it now would write. */
  stale: boolean;
  rendered: string;
}

/** Renders each chapter in memory and compares it with the file on disk. */
export function checkChapters(root: string): ChapterCheck[] {
  return chapterFiles(root).map((file) => {
    const current = readFileSync(file, "utf8");
    const { text, includes, problems } = renderIncludes(current, { root, docFile: file });
    return { file, includes, problems, stale: text !== current, rendered: text };
  });
}

/** A one-paragraph verdict on the docs: empty when every excerpt exists and is fresh. */
export function describeFailures(root: string, checks: readonly ChapterCheck[]): string[] {
  const failures = checks.flatMap((check) => check.problems);
  const stale = checks.filter((check) => check.stale && check.problems.length === 0);
  for (const check of stale) {
    failures.push(
      `${relative(root, check.file)}: an excerpt is stale (the code changed); run \`${renderCommand}\` and commit the result`,
    );
  }
  return failures;
}

/** Writes every chapter whose excerpts changed; a chapter with problems is left as it is. */
export function renderChapters(root: string): { written: string[]; problems: string[] } {
  const written: string[] = [];
  const problems: string[] = [];
  for (const check of checkChapters(root)) {
    if (check.problems.length > 0) {
      problems.push(...check.problems);
      continue;
    }
    if (check.stale) {
      writeFileSync(check.file, check.rendered);
      written.push(relative(root, check.file));
    }
  }
  return { written, problems };
}
