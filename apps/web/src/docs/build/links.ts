// Where a link in a chapter leads, decided at build time. Only the web gets an `href`, and only
// over http or https; everything relative stays inside the app (a chapter, a heading) or names
// a file of the repository for the reader's editor. Nothing else ever becomes a link.

export type LinkTarget =
  | { kind: "chapter"; file: string; anchor: string | undefined }
  | { kind: "external"; href: string }
  | { kind: "source"; path: string }
  | { kind: "unsafe" };

/** Docs files that are not chapters themselves but are shown inside one. */
export const embeddedIn: Readonly<Record<string, { file: string; anchor: string }>> = {
  "generated/attack-table.md": { file: "04-side-by-side.md", anchor: "the-tested-attack-table" },
};

/** True only for an absolute http(s) URL, parsed the way the browser will parse it. */
export function isWebUrl(href: string): boolean {
  try {
    const { protocol } = new URL(href);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** What a link in `docs/<from>` points at: a chapter and heading, the web, or a repository file. */
export function resolveLink(
  href: string,
  from: string,
  chapterFiles: ReadonlySet<string>,
): LinkTarget {
  if (isWebUrl(href)) return { kind: "external", href };
  // Any other scheme (`javascript:`, `data:`, `mailto:`), or a host of its own (`//x`), could run
  // script as this page or leave it unannounced: neither is a link the docs need.
  if (/^[a-z][a-z\d+.-]*:/i.test(href) || href.startsWith("//")) return { kind: "unsafe" };
  const hashAt = href.indexOf("#");
  const path = hashAt === -1 ? href : href.slice(0, hashAt);
  const anchor = hashAt === -1 ? undefined : href.slice(hashAt + 1) || undefined;
  if (path === "") return { kind: "chapter", file: from, anchor };
  const normalized = path.replace(/^\.\//, "");
  if (chapterFiles.has(normalized)) return { kind: "chapter", file: normalized, anchor };
  const embedded = embeddedIn[normalized];
  if (embedded) return { kind: "chapter", file: embedded.file, anchor: embedded.anchor };
  // Relative to docs/: `../apps/x.ts#L12` is `apps/x.ts`, line 12.
  const repoPath = normalized.replace(/^(\.\.\/)+/, "");
  const line = anchor && /^L\d+$/.test(anchor) ? `:${anchor.slice(1)}` : "";
  return { kind: "source", path: `${repoPath}${line}` };
}
