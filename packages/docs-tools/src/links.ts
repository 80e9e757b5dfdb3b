import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve } from "node:path";
import { markdownFiles } from "./docs";
import { linesOutsideFences, type MarkdownLine } from "./fences";

/** A link found in a markdown file, with the 1-based line it is on. */
export interface MarkdownLink {
  target: string;
  line: number;
}

const linkPattern = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const htmlLinkPattern = /\b(?:href|src)="([^"]+)"/g;
const headingPattern = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** The lines outside fenced code blocks, inline code blanked out. */
function proseLines(markdown: string): MarkdownLine[] {
  return linesOutsideFences(markdown).map(({ text, lineNumber }) => ({
    text: text.replace(/(`+)(?:(?!\1).)+\1/g, (code) => " ".repeat(code.length)),
    lineNumber,
  }));
}

/** Every link target in a markdown file, outside code: `[text](target)`, images, `href="…"`. */
export function extractLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const { text, lineNumber } of proseLines(markdown)) {
    for (const match of text.matchAll(linkPattern)) {
      if (match[1]) links.push({ target: match[1], line: lineNumber });
    }
    for (const match of text.matchAll(htmlLinkPattern)) {
      if (match[1]) links.push({ target: match[1], line: lineNumber });
    }
  }
  return links;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a markdown file's headings get, with `-1`, `-2`… for repeated headings. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of linesOutsideFences(markdown)) {
    const heading = headingPattern.exec(text);
    if (!heading?.[2]) continue;
    const slug = slugify(heading[2]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Why a relative link from `file` does not resolve, or undefined when it does. */
export function checkLink(file: string, target: string, root: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) return undefined; // external
  const hashAt = target.indexOf("#");
  const pathPart = decodeURIComponent(hashAt === -1 ? target : target.slice(0, hashAt));
  const anchor = hashAt === -1 ? undefined : decodeURIComponent(target.slice(hashAt + 1));
  const destination = pathPart === "" ? file : resolve(dirname(file), pathPart);
  const shown = relative(root, destination) || ".";
  if (!existsSync(destination)) return `${target}: ${shown} does not exist`;
  if (anchor === undefined || anchor === "") return undefined;
  if (statSync(destination).isDirectory()) return `${target}: an anchor into a folder`;

  const text = readFileSync(destination, "utf8");
  const lineAnchor = /^L(\d+)(?:-L(\d+))?$/.exec(anchor);
  if (lineAnchor) {
    const lineCount = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
    const last = Number(lineAnchor[2] ?? lineAnchor[1]);
    const first = Number(lineAnchor[1]);
    if (first < 1 || last > lineCount) return `${target}: ${shown} has only ${lineCount} lines`;
    return undefined;
  }
  if (extname(destination) === ".md") {
    if (!headingAnchors(text).has(anchor)) return `${target}: ${shown} has no heading #${anchor}`;
    return undefined;
  }
  return `${target}: #${anchor} is neither a line (#L12) nor a heading of a markdown file`;
}

/** Every broken relative link in the given markdown files, as `file:line: reason`. */
export function brokenLinks(files: readonly string[], root: string): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const markdown = readFileSync(file, "utf8");
    for (const link of extractLinks(markdown)) {
      const problem = checkLink(file, link.target, root);
      if (problem) problems.push(`${relative(root, file)}:${link.line}: ${problem}`);
    }
  }
  return problems;
}

/** The files the link check covers: everything under `docs/` and the root README. */
export function linkCheckedFiles(root: string): string[] {
  const readme = join(root, "README.md");
  return [...(existsSync(readme) ? [readme] : []), ...markdownFiles(join(root, "docs"))];
}
