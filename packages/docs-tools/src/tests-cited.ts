import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { linesOutsideFences } from "./fences";

/** A test a chapter names as proof: `Proved by [`file`](link): “title”, “title”`. */
export interface CitedTest {
  file: string;
  title: string;
  line: number;
}

const citationLine = /Proved by\b/;
const firstLink = /\[`?([^\]`]+)`?\]\(([^)\s]+)\)/;
const curlyQuoted = /“([^”]+)”/g;

/**
 * Every test cited in a chapter, outside fenced code; the file is resolved from the link,
 * relative to the chapter.
 */
export function citedTests(markdown: string, chapterFile: string): CitedTest[] {
  const cited: CitedTest[] = [];
  for (const { text: line, lineNumber } of linesOutsideFences(markdown)) {
    if (!citationLine.test(line)) continue;
    const link = firstLink.exec(line.slice(line.search(citationLine)));
    if (!link?.[2]) continue;
    const file = resolve(dirname(chapterFile), link[2].split("#")[0] ?? "");
    for (const match of line.matchAll(curlyQuoted)) {
      if (match[1]) cited.push({ file, title: match[1], line: lineNumber });
    }
  }
  return cited;
}

/** The test file and the modules it imports with `./`, where `it.each` titles may be written. */
function searchedSources(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const imported = [...text.matchAll(/from\s+"(\.\.?\/[^"]+)"/g)]
    .map((match) => resolve(dirname(file), `${match[1]}`))
    .flatMap((base) => [base, `${base}.ts`, `${base}.tsx`])
    .filter(
      (candidate) => candidate !== file && candidate.match(/\.tsx?$/) && existsSync(candidate),
    );
  return [text, ...imported.map((path) => readFileSync(path, "utf8"))];
}

/**
 * Whether `source` holds `title` as a whole string literal, `"title"`, `'title'` or
 * `` `title` ``, so a title that is only part of another one, or prose, does not count.
 */
function hasStringLiteral(source: string, title: string): boolean {
  return ['"', "'", "`"].some((quote) => source.includes(`${quote}${title}${quote}`));
}

/** Why each cited test cannot be found, as `chapter:line: reason`. */
export function missingTests(chapterFiles: readonly string[], root: string): string[] {
  const problems: string[] = [];
  for (const chapter of chapterFiles) {
    for (const test of citedTests(readFileSync(chapter, "utf8"), chapter)) {
      const where = `${relative(root, chapter)}:${test.line}`;
      const shown = relative(root, test.file);
      if (!/\.test\.tsx?$/.test(test.file)) {
        problems.push(`${where}: ${shown} is not a test file`);
      } else if (!existsSync(test.file)) {
        problems.push(`${where}: ${shown} does not exist`);
      } else if (!searchedSources(test.file).some((text) => hasStringLiteral(text, test.title))) {
        problems.push(`${where}: ${shown} has no test titled “${test.title}”`);
      }
    }
  }
  return problems;
}
