// A small markdown parser for the docs panel: just what docs/*.md use (headings, paragraphs,
// lists, code fences, tables, details/summary, inline code, links, emphasis). It builds a tree of
// plain objects; `Markdown.tsx` turns that into React elements, so no text is ever parsed as HTML.

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "strong" | "em"; children: Inline[] }
  | { kind: "link"; href: string; children: Inline[] };

export type Block =
  | { kind: "heading"; level: number; slug: string; children: Inline[]; steps: string[] }
  | { kind: "paragraph"; children: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "code"; language: string; text: string }
  | { kind: "table"; header: Inline[][]; rows: Inline[][][] }
  | { kind: "details"; summary: Inline[]; children: Block[] };

const fencePattern = /^\s*(`{3,}|~{3,})\s*([\w-]*)\s*$/;
const headingPattern = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const listItemPattern = /^\s{0,3}([-*]|\d+\.)\s+(.*)$/;
const tableDividerPattern = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const stepPattern = /^<!--\s*step:\s*([\w-]+)\s*-->$/;

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
function slugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The plain text of inline content, as a heading's anchor is computed from it. */
export function plainText(inlines: readonly Inline[]): string {
  return inlines
    .map((inline) =>
      inline.kind === "text" || inline.kind === "code" ? inline.text : plainText(inline.children),
    )
    .join("");
}

/** Parses a whole chapter into blocks. */
export function parseMarkdown(markdown: string): Block[] {
  const slugs = new Map<string, number>();
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const root: Block[] = [];
  const stack: { blocks: Block[] }[] = [{ blocks: root }];
  const current = () => stack[stack.length - 1]?.blocks ?? root;
  let index = 0;

  const lastHeading = (): Extract<Block, { kind: "heading" }> | undefined => {
    const blocks = current();
    const last = blocks[blocks.length - 1];
    return last?.kind === "heading" ? last : undefined;
  };

  while (index < lines.length) {
    const line = lines[index] ?? "";
    const trimmed = line.trim();

    if (trimmed === "") {
      index++;
      continue;
    }

    // HTML comments: include markers and step tags. A step tag belongs to the heading above it.
    if (trimmed.startsWith("<!--")) {
      const step = stepPattern.exec(trimmed);
      const heading = lastHeading();
      if (step?.[1] && heading) heading.steps.push(step[1]);
      while (index < lines.length && !(lines[index] ?? "").includes("-->")) index++;
      index++;
      continue;
    }

    if (trimmed === "<details>") {
      const details: Extract<Block, { kind: "details" }> = {
        kind: "details",
        summary: [],
        children: [],
      };
      current().push(details);
      stack.push({ blocks: details.children });
      index++;
      const summary = /^<summary>(.*)<\/summary>$/.exec((lines[index] ?? "").trim());
      if (summary) {
        details.summary = parseInline(summary[1] ?? "");
        index++;
      }
      continue;
    }
    if (trimmed === "</details>") {
      if (stack.length > 1) stack.pop();
      index++;
      continue;
    }

    const fence = fencePattern.exec(line);
    if (fence?.[1]) {
      const marker = fence[1];
      const body: string[] = [];
      index++;
      while (index < lines.length) {
        const closing = fencePattern.exec(lines[index] ?? "");
        const closer = closing?.[1];
        if (closer && !closing[2] && closer[0] === marker[0] && closer.length >= marker.length) {
          break;
        }
        body.push(lines[index] ?? "");
        index++;
      }
      index++; // the closing fence
      current().push({ kind: "code", language: fence[2] ?? "", text: body.join("\n") });
      continue;
    }

    const heading = headingPattern.exec(line);
    if (heading?.[1] && heading[2] !== undefined) {
      const children = parseInline(heading[2]);
      const base = slugify(plainText(children));
      const seen = slugs.get(base) ?? 0;
      slugs.set(base, seen + 1);
      const slug = seen === 0 ? base : `${base}-${seen}`;
      current().push({ kind: "heading", level: heading[1].length, slug, children, steps: [] });
      index++;
      continue;
    }

    if (trimmed.startsWith("|") && tableDividerPattern.test(lines[index + 1] ?? "")) {
      const header = splitRow(line).map(parseInline);
      const rows: Inline[][][] = [];
      index += 2;
      while (index < lines.length && (lines[index] ?? "").trim().startsWith("|")) {
        rows.push(splitRow(lines[index] ?? "").map(parseInline));
        index++;
      }
      current().push({ kind: "table", header, rows });
      continue;
    }

    const item = listItemPattern.exec(line);
    if (item?.[1]) {
      const ordered = /\d/.test(item[1]);
      const items: string[] = [];
      while (index < lines.length) {
        const next = lines[index] ?? "";
        const nextItem = listItemPattern.exec(next);
        if (nextItem?.[1] && /\d/.test(nextItem[1]) === ordered) {
          items.push(nextItem[2] ?? "");
        } else if (next.trim() !== "" && /^\s{2,}/.test(next) && items.length > 0) {
          items[items.length - 1] += ` ${next.trim()}`; // a wrapped line of the same item
        } else {
          break;
        }
        index++;
      }
      current().push({ kind: "list", ordered, items: items.map(parseInline) });
      continue;
    }

    // A paragraph: lines up to a blank line or the start of another block.
    const text: string[] = [];
    while (index < lines.length) {
      const next = lines[index] ?? "";
      const nextTrimmed = next.trim();
      if (
        nextTrimmed === "" ||
        nextTrimmed.startsWith("<!--") ||
        nextTrimmed === "<details>" ||
        nextTrimmed === "</details>" ||
        fencePattern.test(next) ||
        headingPattern.test(next) ||
        (text.length > 0 && listItemPattern.test(next))
      ) {
        break;
      }
      text.push(nextTrimmed);
      index++;
    }
    current().push({ kind: "paragraph", children: parseInline(text.join(" ")) });
  }
  return root;
}

/** Cells of a table row; `\|` is a literal pipe, and a pipe inside inline code stays too. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let inCode = false;
  const body = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === "\\" && body[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (char === "`") {
      inCode = !inCode;
      cell += char;
    } else if (char === "|" && !inCode) {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += char;
    }
  }
  cells.push(cell.trim());
  return cells;
}

/** Inline markdown: `code`, [links](href), **strong**, *emphasis*, and `\` escapes. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = "";
  const flush = () => {
    if (plain) out.push({ kind: "text", text: plain });
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? "";
    const rest = text.slice(i);

    if (char === "\\" && i + 1 < text.length && /[\\`*_[\]()#|<>!-]/.test(text[i + 1] ?? "")) {
      plain += text[i + 1];
      i += 2;
      continue;
    }

    if (char === "`") {
      const ticks = /^`+/.exec(rest)?.[0] ?? "`";
      const end = text.indexOf(ticks, i + ticks.length);
      if (end !== -1) {
        flush();
        const code = text.slice(i + ticks.length, end);
        // One space of padding is how a code span holds a backtick at its edge.
        const unpadded = /^ .* $/.test(code) && code.trim() !== "" ? code.slice(1, -1) : code;
        out.push({ kind: "code", text: unpadded });
        i = end + ticks.length;
        continue;
      }
    }

    if (char === "[") {
      const link = matchLink(text, i);
      if (link) {
        flush();
        out.push({ kind: "link", href: link.href, children: parseInline(link.label) });
        i = link.end;
        continue;
      }
    }

    if (rest.startsWith("**")) {
      const end = text.indexOf("**", i + 2);
      if (end > i + 2) {
        flush();
        out.push({ kind: "strong", children: parseInline(text.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }

    if (char === "*" && /\S/.test(text[i + 1] ?? "")) {
      const end = findEmphasisEnd(text, i + 1);
      if (end !== -1) {
        flush();
        out.push({ kind: "em", children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }

    plain += char;
    i++;
  }
  flush();
  return out;
}

/** `[label](href)` starting at `start`, with brackets in the label balanced and code skipped. */
function matchLink(
  text: string,
  start: number,
): { label: string; href: string; end: number } | undefined {
  let depth = 0;
  let i = start;
  for (; i < text.length; i++) {
    const char = text[i];
    if (char === "`") {
      const close = text.indexOf("`", i + 1);
      if (close === -1) return undefined;
      i = close;
    } else if (char === "[") {
      depth++;
    } else if (char === "]") {
      depth--;
      if (depth === 0) break;
    }
  }
  if (depth !== 0 || text[i + 1] !== "(") return undefined;
  const close = text.indexOf(")", i + 2);
  if (close === -1) return undefined;
  const href = text.slice(i + 2, close).trim();
  if (href === "" || /\s/.test(href)) return undefined;
  return { label: text.slice(start + 1, i), href, end: close + 1 };
}

/** The closing `*` of an emphasis, skipping code spans; -1 if there is none. */
function findEmphasisEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === "`") {
      const close = text.indexOf("`", i + 1);
      if (close === -1) return -1;
      i = close;
    } else if (char === "*" && text[i + 1] !== "*" && /\S/.test(text[i - 1] ?? "")) {
      return i;
    }
  }
  return -1;
}
