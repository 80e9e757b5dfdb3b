import type { AuthMode } from "@repo/contract";
import { type Block, parseMarkdown, plainText } from "./markdown";

// Bundled at build time from the repository's docs/: the same files a reader opens beside the
// code, no network at run time.
const sources = import.meta.glob("../../../../docs/*.md", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export interface Chapter {
  /** The file name, e.g. `02-sessions.md`: what chapters link to. */
  file: string;
  title: string;
  blocks: Block[];
}

/** Every chapter, README (the reading order) first, then by number. */
export function loadChapters(files: Record<string, string> = sources): Chapter[] {
  return Object.entries(files)
    .map(([path, markdown]) => {
      const file = path.slice(path.lastIndexOf("/") + 1);
      const blocks = parseMarkdown(markdown);
      const heading = blocks.find((block) => block.kind === "heading");
      const title = heading?.kind === "heading" ? plainText(heading.children) : file;
      return { file, title, blocks };
    })
    .sort((a, b) =>
      a.file === "README.md" ? -1 : b.file === "README.md" ? 1 : a.file.localeCompare(b.file),
    );
}

export const chapters: Chapter[] = loadChapters();

/** The chapter that walks each mode's `auth.ts`. */
export const chapterForMode: Record<AuthMode, string> = {
  session: "02-sessions.md",
  jwt: "03-jwt.md",
};

/** Docs files that are not chapters themselves but are shown inside one. */
export const embeddedIn: Record<string, { file: string; anchor: string }> = {
  "generated/attack-table.md": { file: "04-side-by-side.md", anchor: "the-tested-attack-table" },
};
