/** A line of a markdown file, with its 1-based number. */
export interface MarkdownLine {
  text: string;
  lineNumber: number;
}

const fence = /^\s*(`{3,}|~{3,})/;

/**
 * The lines of a markdown file outside fenced code blocks, fence lines excluded: where a link,
 * a directive or a citation counts, and an example of one shown as code does not. A fence
 * closes on a line of the same character at least as long as the one that opened it.
 */
export function linesOutsideFences(markdown: string): MarkdownLine[] {
  const outside: MarkdownLine[] = [];
  let fenceMarker: string | undefined;
  markdown.split("\n").forEach((text, index) => {
    const marker = fence.exec(text)?.[1];
    if (marker) {
      if (fenceMarker === undefined) fenceMarker = marker;
      else if (marker[0] === fenceMarker[0] && marker.length >= fenceMarker.length)
        fenceMarker = undefined;
      return;
    }
    if (fenceMarker === undefined) outside.push({ text, lineNumber: index + 1 });
  });
  return outside;
}
