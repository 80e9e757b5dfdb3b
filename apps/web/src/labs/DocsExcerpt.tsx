import { chapters } from "virtual:docs-chapters";
import { useEffect, useState } from "react";

/** The chapter that walks through the labs. */
export const labsChapter = "08-labs.md";

type Loaded = { status: "loading" } | { status: "ready"; html: string } | { status: "missing" };

/** The section of a rendered chapter whose heading has this anchor, as HTML; "" when absent. */
export function sectionHtml(chapterHtml: string, anchor: string): string {
  const doc = new DOMParser().parseFromString(chapterHtml, "text/html");
  const heading = doc.getElementById(`docs-${anchor}`);
  return heading?.closest("section")?.innerHTML ?? "";
}

/**
 * One section of the labs chapter, shown inside the lab: the same text and code excerpts as the
 * docs panel, loaded the first time it is opened.
 */
export function DocsExcerpt({ anchor }: { anchor: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  useEffect(() => {
    let current = true;
    const entry = chapters.find((candidate) => candidate.file === labsChapter);
    if (!entry) {
      setLoaded({ status: "missing" });
      return;
    }
    entry.load().then(
      (chapter) => {
        const html = sectionHtml(chapter.html, anchor);
        if (current) setLoaded(html ? { status: "ready", html } : { status: "missing" });
      },
      () => current && setLoaded({ status: "missing" }),
    );
    return () => {
      current = false;
    };
  }, [anchor]);

  if (loaded.status === "loading") return <p className="muted">Loading the docs…</p>;
  if (loaded.status === "missing") {
    return <p className="muted">This build has no docs section “{anchor}”.</p>;
  }
  return (
    // Safe to insert as HTML: rendered at build time from the repository's own docs, with raw
    // HTML shown as text and only http(s) links (src/docs/build/render.ts).
    // biome-ignore lint/security/noDangerouslySetInnerHtml: build-time HTML, see above
    <div className="docs-chapter lab-docs" dangerouslySetInnerHTML={{ __html: loaded.html }} />
  );
}
