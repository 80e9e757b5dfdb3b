/** One named region of a source file, ready to quote. */
export interface Region {
  name: string;
  /** 1-based line of the first line of the excerpt (the line after `// #region name`). */
  startLine: number;
  /** The region's lines, marker lines of nested regions removed, dedented, trimmed of blank ends. */
  lines: string[];
  /** 1-based lines of its `// #region name` and `// #endregion` markers. */
  openLine: number;
  closeLine: number;
}

export interface RegionScan {
  regions: Map<string, Region>;
  /** Unbalanced or duplicated markers: a file with any of these cannot be quoted safely. */
  problems: string[];
}

const openMarker = /^\s*\/\/\s*#region\s+([A-Za-z0-9_.-]+)/;
const bareOpenMarker = /^\s*\/\/\s*#region\s*$/;
const closeMarker = /^\s*\/\/\s*#endregion\b/;

/** Whether a line is a region marker, which excerpts never show. */
export function isMarkerLine(line: string): boolean {
  return openMarker.test(line) || bareOpenMarker.test(line) || closeMarker.test(line);
}

/**
 * Finds every `// #region name` ... `// #endregion` pair in a .ts/.tsx source. Regions may nest;
 * an outer region's excerpt keeps the inner code but drops the inner marker lines.
 */
export function scanRegions(source: string): RegionScan {
  const lines = source.split(/\r?\n/);
  const regions = new Map<string, Region>();
  const problems: string[] = [];
  const open: { name: string; index: number }[] = [];

  lines.forEach((line, index) => {
    const opening = openMarker.exec(line);
    if (opening?.[1]) {
      open.push({ name: opening[1], index });
      return;
    }
    if (bareOpenMarker.test(line)) {
      problems.push(`line ${index + 1}: a #region without a name`);
      open.push({ name: "", index });
      return;
    }
    if (!closeMarker.test(line)) return;
    const region = open.pop();
    if (!region) {
      problems.push(`line ${index + 1}: #endregion without a matching #region`);
      return;
    }
    if (region.name === "") return;
    if (regions.has(region.name)) {
      problems.push(`line ${region.index + 1}: region "${region.name}" is defined twice`);
      return;
    }
    regions.set(region.name, excerpt(region.name, lines, region.index, index));
  });
  for (const region of open) {
    problems.push(`line ${region.index + 1}: #region ${region.name} is never closed`);
  }
  return { regions, problems };
}

function excerpt(name: string, lines: string[], openIndex: number, closeIndex: number): Region {
  // Keep each line's 1-based number while dropping nested markers.
  let body = lines
    .slice(openIndex + 1, closeIndex)
    .map((text, offset) => ({ text, line: openIndex + 2 + offset }))
    .filter((entry) => !isMarkerLine(entry.text));
  while (body.length > 0 && body[0]?.text.trim() === "") body = body.slice(1);
  while (body.length > 0 && body[body.length - 1]?.text.trim() === "") body = body.slice(0, -1);
  const texts = dedent(body.map((entry) => entry.text));
  return {
    name,
    startLine: body[0]?.line ?? openIndex + 2,
    lines: texts,
    openLine: openIndex + 1,
    closeLine: closeIndex + 1,
  };
}

/** Removes the indentation every non-blank line shares; blank lines become empty. */
export function dedent(lines: readonly string[]): string[] {
  const indents = lines
    .filter((line) => line.trim() !== "")
    .map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const shared = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => (line.trim() === "" ? "" : line.slice(shared).trimEnd()));
}
