import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, isAbsolute, join, normalize, relative, sep } from "node:path";
import { linesOutsideFences } from "./fences";
import { scanRegions } from "./regions";

/** STYLE.md, "Annotated docs": an excerpt is 15 lines at most, or it is not an excerpt. */
export const maxExcerptLines = 15;

/**
 * `<!-- include: apps/session-api/src/auth.ts#login -->` quotes a region (or embeds a generated
 * `.md` file); `<!-- see: path#region -->` only links to where a region starts, for a region too
 * long to quote. Both are closed by `<!-- /include -->` once rendered.
 */
const openDirective = /^<!--\s*(include|see):\s*(\S+?)\s*-->\s*$/;
const closeDirective = /^<!--\s*\/include\s*-->\s*$/;

/** One `include` a chapter makes, and where. */
export interface Include {
  kind: "include" | "see";
  /** As written: a repo-relative path, with `#region` for source files. */
  target: string;
  path: string;
  region: string | undefined;
  /** 1-based line of the directive in the chapter. */
  line: number;
}

export interface RenderResult {
  text: string;
  includes: Include[];
  /** Missing files or regions, broken markers, excerpts too long: each makes the docs wrong. */
  problems: string[];
}

/**
 * Fills every include of a chapter with what it cites right now: the region's code in a
 * fenced block under a caption linking to the file and line it starts on, or a generated
 * markdown file as is. Whatever stood between the directive and `<!-- /include -->` is
 * replaced, so rendering twice gives the same text.
 */
export function renderIncludes(
  markdown: string,
  options: { root: string; docFile: string },
): RenderResult {
  const lines = markdown.split("\n");
  const out: string[] = [];
  const includes: Include[] = [];
  const problems: string[] = [];
  const where = (line: number) => `${relative(options.root, options.docFile)}:${line}`;
  const outsideFences = new Set(linesOutsideFences(markdown).map((line) => line.lineNumber));

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    out.push(line);
    if (!outsideFences.has(index + 1)) continue; // a directive shown as an example is not one
    const opening = openDirective.exec(line);
    if (!opening?.[2]) continue;

    const kind = opening[1] === "see" ? "see" : "include";
    const target = opening[2];
    const [path = "", region] = target.split("#", 2);
    const include: Include = { kind, target, path, region, line: index + 1 };
    includes.push(include);

    // Skip the previous rendering, if there is one.
    const end = findClose(lines, index + 1);
    const block = renderBlock(include, options);
    if (typeof block === "string") {
      problems.push(`${where(include.line)}: ${block}`);
      // Keep the old text, so a failed render loses nothing.
      if (end !== undefined) {
        out.push(...lines.slice(index + 1, end + 1));
        index = end;
      }
      continue;
    }
    out.push(...block, "<!-- /include -->");
    if (end !== undefined) index = end;
  }
  return { text: out.join("\n"), includes, problems };
}

/** The index of the `<!-- /include -->` closing the block that starts at `from`, if any. */
function findClose(lines: readonly string[], from: number): number | undefined {
  for (let index = from; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (closeDirective.test(line)) return index;
    if (openDirective.test(line)) return undefined;
  }
  return undefined;
}

/** The lines an include renders to, or a sentence saying why it cannot. */
function renderBlock(
  include: Include,
  options: { root: string; docFile: string },
): string[] | string {
  const { path, region } = include;
  if (path === "" || isAbsolute(path) || normalize(path).split(sep).includes("..")) {
    return `include "${include.target}": give a path from the repository root`;
  }
  const file = join(options.root, path);
  if (!existsSync(file)) return `include "${include.target}": ${path} does not exist`;
  const link = relative(dirname(options.docFile), file).split(sep).join("/");
  const source = readFileSync(file, "utf8");

  if (region === undefined) {
    if (include.kind === "see" || extname(path) !== ".md") {
      return `include "${include.target}": name a region (path#region) for source files`;
    }
    return [`*Generated file: [${path}](${link})*`, "", source.trimEnd()];
  }

  const scan = scanRegions(source);
  if (scan.problems.length > 0) {
    return `include "${include.target}": ${path} has broken region markers (${scan.problems.join("; ")})`;
  }
  const found = scan.regions.get(region);
  if (!found) {
    const known = [...scan.regions.keys()].join(", ") || "none";
    return `include "${include.target}": ${path} has no region "${region}" (regions: ${known})`;
  }
  const caption = `${path}:${found.startLine}`;
  if (include.kind === "see") {
    return [
      `Read it in the source: [${caption}](${link}#L${found.startLine}) (region \`${region}\`, ${found.lines.length} lines).`,
    ];
  }
  if (found.lines.length > maxExcerptLines) {
    return `include "${include.target}": region "${region}" is ${found.lines.length} lines; an excerpt is at most ${maxExcerptLines} (STYLE.md), so split the region`;
  }
  const longestTicks = Math.max(
    0,
    ...found.lines.map((text) => /^\s*(`*)/.exec(text)?.[1]?.length ?? 0),
  );
  const ticks = "`".repeat(Math.max(3, longestTicks + 1));
  const language = extname(path) === ".tsx" ? "tsx" : "ts";
  return [
    `[${caption}](${link}#L${found.startLine})`,
    "",
    `${ticks}${language}`,
    ...found.lines,
    ticks,
  ];
}
