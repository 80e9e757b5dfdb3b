import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { linesOutsideFences } from "./fences";

// docs/api.md is the HTTP contract people read; these checks keep it in step with the code:
// every error code the contract sends, with its status, and every setting a config reads.

/** Where the contract page lives, relative to the repository root. */
export const apiDocPath = "docs/api.md";

/** The files that read settings: each app's and package's `src/config.ts`, and Vite's config. */
export function settingSources(root: string): string[] {
  const found: string[] = [];
  for (const group of ["apps", "packages"]) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      for (const file of ["src/config.ts", "vite.config.ts"]) {
        const path = `${group}/${entry.name}/${file}`;
        if (existsSync(join(root, path))) found.push(path);
      }
    }
  }
  return found.sort();
}

const environmentReads = [
  /\benv\.([A-Z][A-Z0-9_]*)\b/g, // env.PORT, process.env.PORT
  /\benv\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]/g, // env["PORT"]
  /\(\s*env\s*,\s*["']([A-Z][A-Z0-9_]*)["']/g, // readPort(env, "PORT", …): a reader given env and a name
];

/** Every environment variable a source text reads, in the three ways this code reads them. */
export function settingsRead(source: string): string[] {
  const names = environmentReads.flatMap((pattern) =>
    [...source.matchAll(pattern)].flatMap((match) => (match[1] ? [match[1]] : [])),
  );
  return [...new Set(names)].sort();
}

/** The cells of a markdown table row; `\|` is a literal pipe. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The table rows under one `## heading`, up to the next `## `, outside fenced code. */
function tableRows(
  markdown: string,
  heading: string,
): { cells: string[]; line: number }[] | undefined {
  const lines = linesOutsideFences(markdown);
  const start = lines.findIndex((line) => line.text.trim() === `## ${heading}`);
  if (start === -1) return undefined;
  const rows: { cells: string[]; line: number }[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.text.startsWith("## ")) break;
    if (line.text.trim().startsWith("|"))
      rows.push({ cells: cells(line.text), line: line.lineNumber });
  }
  return rows;
}

/** What the contract page gets wrong about error codes, one line each; empty when it is right. */
export function errorCodeProblems(
  markdown: string,
  errorStatus: Readonly<Record<string, number>>,
): string[] {
  const rows = tableRows(markdown, "Errors");
  if (!rows) return [`${apiDocPath} has no "## Errors" section`];
  const documented = new Map<string, { status: number; line: number }>();
  for (const {
    cells: [status, code],
    line,
  } of rows) {
    const name = /^`([a-z_]+)`$/.exec(code ?? "")?.[1];
    if (name && /^\d{3}$/.test(status ?? ""))
      documented.set(name, { status: Number(status), line });
  }
  const problems: string[] = [];
  for (const [code, status] of Object.entries(errorStatus)) {
    const row = documented.get(code);
    if (!row)
      problems.push(`${apiDocPath}: the errors table has no row for \`${code}\` (${status})`);
    else if (row.status !== status) {
      problems.push(
        `${apiDocPath}:${row.line}: \`${code}\` is sent with ${status}, not ${row.status}`,
      );
    }
  }
  for (const [code, row] of documented) {
    if (!(code in errorStatus)) {
      problems.push(`${apiDocPath}:${row.line}: \`${code}\` is not an error code of the contract`);
    }
  }
  return problems;
}

/**
 * What the contract page gets wrong about settings: a variable some config reads that its
 * configuration tables do not name, or one they name that nothing reads.
 */
export function settingProblems(markdown: string, readBy: ReadonlyMap<string, string[]>): string[] {
  const rows = tableRows(markdown, "Configuration");
  if (!rows) return [`${apiDocPath} has no "## Configuration" section`];
  const documented = new Map<string, number>();
  for (const {
    cells: [names],
    line,
  } of rows) {
    for (const match of (names ?? "").matchAll(/`([A-Z][A-Z0-9_]*)`/g)) {
      if (match[1]) documented.set(match[1], line);
    }
  }
  const problems: string[] = [];
  for (const [name, files] of readBy) {
    if (!documented.has(name)) {
      problems.push(
        `${apiDocPath}: no configuration table names \`${name}\`, read in ${files.join(", ")}`,
      );
    }
  }
  for (const [name, line] of documented) {
    if (!readBy.has(name)) problems.push(`${apiDocPath}:${line}: \`${name}\` is read by no config`);
  }
  return problems;
}

/** Each setting the code reads, with the files that read it. */
export function settingsReadIn(root: string): Map<string, string[]> {
  const readBy = new Map<string, string[]>();
  for (const file of settingSources(root)) {
    for (const name of settingsRead(readFileSync(join(root, file), "utf8"))) {
      readBy.set(name, [...(readBy.get(name) ?? []), file]);
    }
  }
  return readBy;
}
