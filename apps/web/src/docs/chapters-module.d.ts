// What `virtual:docs-chapters` exports; the module is made at build time by build/plugin.ts.
declare module "virtual:docs-chapters" {
  /** One chapter rendered to HTML: a `<section>` per heading, tagged with its workflow steps. */
  export interface RenderedChapter {
    html: string;
  }

  export interface ChapterEntry {
    /** The file name in docs/, e.g. `02-sessions.md`: what chapters link to. */
    file: string;
    title: string;
    /** Loads the chapter's own module the first time it is shown. */
    load: () => Promise<RenderedChapter>;
  }

  /** Every chapter of docs/, README (the reading order) first, then by number. */
  export const chapters: readonly ChapterEntry[];
}
