// The Vite plugin that serves docs/*.md to the docs panel as HTML rendered at build time.
// `virtual:docs-chapters` lists the chapters (file and title) and loads each one on demand,
// from its own module `virtual:docs-chapter/<file>`: the page's first load carries none of them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";
import { type RenderedChapterSource, renderChapter } from "./render.ts";

const indexId = "virtual:docs-chapters";
const chapterPrefix = "virtual:docs-chapter/";
const imageTypes: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png" };

/** README (the reading order) first, then the chapters by number. */
export function readingOrder(a: string, b: string): number {
  return a === "README.md" ? -1 : b === "README.md" ? 1 : a.localeCompare(b);
}

export function docsChapters({ docsDir }: { docsDir: string }): Plugin {
  const cache = new Map<string, { source: string; rendered: RenderedChapterSource }>();
  const chapterFiles = () =>
    readdirSync(docsDir)
      .filter((name) => name.endsWith(".md"))
      .sort(readingOrder);

  /** An image beside the docs as a `data:` URL; nothing outside docs/ is ever read. */
  const imageDataUrl = (src: string): string | undefined => {
    const file = path.resolve(docsDir, src);
    const type = imageTypes[path.extname(file).toLowerCase()];
    const inside = !path.relative(docsDir, file).startsWith("..");
    if (!type || !inside || !existsSync(file)) return undefined;
    return `data:${type};base64,${readFileSync(file).toString("base64")}`;
  };

  const render = (file: string, files: readonly string[]): RenderedChapterSource => {
    const source = readFileSync(path.join(docsDir, file), "utf8");
    const cached = cache.get(file);
    if (cached?.source === source) return cached.rendered;
    const rendered = renderChapter(source, { file, chapterFiles: new Set(files), imageDataUrl });
    cache.set(file, { source, rendered });
    return rendered;
  };

  return {
    name: "docs-chapters",
    enforce: "pre",
    resolveId(id) {
      return id === indexId || id.startsWith(chapterPrefix) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!id.startsWith("\0virtual:docs-chapter")) return undefined;
      const files = chapterFiles();
      for (const file of files) this.addWatchFile(path.join(docsDir, file));
      if (id === `\0${indexId}`) {
        const entries = files.map((file) => {
          const title = JSON.stringify(render(file, files).title);
          const load = `() => import(${JSON.stringify(chapterPrefix + file)}).then((m) => m.default)`;
          return `  { file: ${JSON.stringify(file)}, title: ${title}, load: ${load} },\n`;
        });
        return `export const chapters = [\n${entries.join("")}];\n`;
      }
      const file = id.slice(`\0${chapterPrefix}`.length);
      if (!files.includes(file)) this.error(`docs/${file} is not a chapter of ${docsDir}`);
      return `export default ${JSON.stringify({ html: render(file, files).html })};\n`;
    },
  };
}
