// The little HTML the chapters use, read as markdown-it blocks of our own while raw HTML stays
// off: comments (include markers, and the `<!-- step: id -->` tags that tie a section to a
// workflow step, kept as `docs_step` tokens) and `<details>` with a one-line `<summary>`.
import type { MarkdownIt, StateBlock } from "markdown-it";

/** Registers the blocks on `md`; a `docs_step` token renders as nothing. */
export function docsHtmlBlocks(md: MarkdownIt): void {
  md.block.ruler.before("html_block", "docs_html", docsHtml, {
    alt: ["paragraph", "reference", "blockquote", "list"],
  });
  md.renderer.rules.docs_step = () => "";
}

/** One of those blocks at `startLine`, or false: any other HTML stays text. */
function docsHtml(state: StateBlock, startLine: number, endLine: number, silent: boolean) {
  if ((state.sCount[startLine] ?? 0) - state.blkIndent >= 4) return false;
  const lineText = (line: number) =>
    state.src.slice((state.bMarks[line] ?? 0) + (state.tShift[line] ?? 0), state.eMarks[line]);
  const first = lineText(startLine).trim();
  const summary = /^<summary>(.*)<\/summary>$/.exec(first);
  if (!first.startsWith("<!--") && first !== "<details>" && first !== "</details>" && !summary) {
    return false;
  }
  if (silent) return true;
  let last = startLine;
  if (first.startsWith("<!--")) {
    let comment = first;
    while (!comment.includes("-->") && last + 1 < endLine) comment += `\n${lineText(++last)}`;
    const step = /^<!--\s*step:\s*([\w-]+)\s*-->$/.exec(comment);
    if (step) state.push("docs_step", "", 0).meta = { step: step[1] };
  } else if (first === "<details>") {
    state.push("details_open", "details", 1).attrSet("class", "docs-details");
  } else if (first === "</details>") {
    state.push("details_close", "details", -1);
  } else if (summary) {
    state.push("summary_open", "summary", 1);
    const inline = state.push("inline", "", 0);
    inline.content = summary[1] ?? "";
    inline.map = [startLine, startLine + 1];
    inline.children = [];
    state.push("summary_close", "summary", -1);
  }
  state.line = last + 1;
  return true;
}
