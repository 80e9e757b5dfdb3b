// Comments cite what a reader can open: the contract at its real path (docs/api.md), never the
// design document outside the repository it grew from, and never a number on our issue tracker.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const sourceFolders = ["src", "scripts", "e2e"];
const sourceFile = /\.(ts|tsx|mjs|js)$/;
const commentLine = /^\s*(\/\/|\/\*|\*)/;
/** The outside design file by its bare name, and a number on the issue tracker. */
const badCitations = [/(?<![\w/])API\.md/, /\bissues? #?\d+/i];

/** Every comment line in the apps' and packages' sources that cites something a reader cannot open. */
export function citationProblems(root: string): string[] {
  const problems: string[] = [];
  for (const group of ["apps", "packages"]) {
    const groupDir = join(root, group);
    for (const workspace of isDirectory(groupDir) ? readdirSync(groupDir) : []) {
      for (const folder of sourceFolders) {
        const dir = join(root, group, workspace, folder);
        for (const file of filesBelow(dir)) {
          const lines = readFileSync(file, "utf8").split("\n");
          lines.forEach((line, index) => {
            if (commentLine.test(line) && badCitations.some((pattern) => pattern.test(line))) {
              problems.push(`${relative(root, file)}:${index + 1}: ${line.trim()}`);
            }
          });
        }
      }
    }
  }
  return problems.sort();
}

function filesBelow(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules") return [];
    const path = join(dir, name);
    if (isDirectory(path)) return filesBelow(path);
    return sourceFile.test(name) ? [path] : [];
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
