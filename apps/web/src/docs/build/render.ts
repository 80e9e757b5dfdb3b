// Turns one chapter of docs/ into the HTML the docs panel shows, at build time, in Node: the
// browser gets finished HTML and neither the markdown parser nor the highlighter. Raw HTML in
// the markdown is never passed through (it shows as text); the only tags are the ones made here.
import MarkdownIt, { type Env, type Token } from "markdown-it";
import { highlightCode } from "./highlight.ts";
import { docsHtmlBlocks } from "./html-blocks.ts";
import { type LinkTarget, resolveLink } from "./links.ts";

export interface ChapterContext {
  /** The chapter's file name in docs/, e.g. `02-sessions.md`: where its relative links start. */
  file: string;
  /** Every chapter the app bundles: a link to one of them opens it in the panel. */
  chapterFiles: ReadonlySet<string>;
  /** A `data:` URL for an image next to the docs (`generated/bench.svg`), or undefined. */
  imageDataUrl?: (src: string) => string | undefined;
}

export interface RenderedChapterSource {
  /** The text of the first heading. */
  title: string;
  /** One `<section>` per heading, tagged with the workflow steps it explains. */
  html: string;
}

interface RenderEnv extends Env {
  context: ChapterContext;
  /** The closing tag of each open link, innermost last. */
  openLinks: string[];
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
// Every link is parsed, whatever its scheme, so that the one decision about it is made below,
// in `link_open`, where an unsafe one becomes plain text instead of staying as markdown syntax.
md.validateLink = () => true;
md.use(docsHtmlBlocks);

const escapeHtml = md.utils.escapeHtml;
const rules = md.renderer.rules;
const attr = (token: Token | undefined, name: string) => String(token?.attrGet(name) ?? "");
// The env object is the one `renderChapter` passes in; markdown-it only hands it through.
const renderEnv = (env: unknown) => env as RenderEnv;

// Headings sit one level down (the panel's own title is the page's h1), with an id the links
// and the "follow the workflow" scroll use, and tabindex so focus can be moved to them.
const headingTag = (token: Token) => `h${Math.min(Number(token.tag.slice(1)) + 1, 6)}`;
rules.heading_open = (tokens, idx) => {
  const token = tokens[idx] as Token;
  return `<${headingTag(token)} id="${escapeHtml(attr(token, "id"))}" tabindex="-1">`;
};
rules.heading_close = (tokens, idx) => `</${headingTag(tokens[idx] as Token)}>\n`;

// Code and tables may scroll sideways in a narrow panel: tabindex="0" lets a keyboard user
// focus them and scroll with the arrow keys (axe: scrollable-region-focusable).
rules.fence = (tokens, idx) => {
  const token = tokens[idx] as Token;
  const language = token.info.trim().split(/\s+/)[0] || "text";
  const code = highlightCode(token.content.replace(/\n$/, ""), language);
  return `<pre class="docs-code language-${escapeHtml(language)}" tabindex="0"><code>${code}</code></pre>\n`;
};
rules.code_block = (tokens, idx) =>
  `<pre class="docs-code language-text" tabindex="0"><code>${escapeHtml((tokens[idx] as Token).content)}</code></pre>\n`;

rules.table_open = () => '<div class="docs-table" tabindex="0"><table>\n';
rules.table_close = () => "</table></div>\n";
rules.th_open = (tokens, idx, options, _env, self) => {
  (tokens[idx] as Token).attrSet("scope", "col");
  return self.renderToken(tokens, idx, options);
};

/** The opening tag a link becomes; its closing tag waits on `env.openLinks`. */
function linkTag(target: LinkTarget, env: RenderEnv): string {
  switch (target.kind) {
    case "external":
      env.openLinks.push("</a>");
      return `<a href="${escapeHtml(target.href)}" target="_blank" rel="noopener noreferrer">`;
    case "chapter": {
      // A button, not a link: the panel opens the chapter (at the heading) in place.
      env.openLinks.push("</button>");
      const anchor = target.anchor ? ` data-anchor="${escapeHtml(target.anchor)}"` : "";
      return `<button type="button" class="docs-link" data-file="${escapeHtml(target.file)}"${anchor}>`;
    }
    case "source":
      // A file of the repository: the app cannot open it, so name it for the reader's editor.
      env.openLinks.push("</span>");
      return `<span class="docs-source" title="In your editor: ${escapeHtml(target.path)}">`;
    case "unsafe":
      env.openLinks.push("</span>");
      return '<span class="docs-unsafe-link">';
  }
}

function decoded(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}

rules.link_open = (tokens, idx, _options, env) => {
  const href = attr(tokens[idx], "href");
  const { file, chapterFiles } = renderEnv(env).context;
  const target = resolveLink(href, file, chapterFiles);
  // markdown-it percent-encodes what it parses; a chapter or file name is compared as written.
  return linkTag(
    target.kind === "external" || target.kind === "unsafe"
      ? target
      : resolveLink(decoded(href), file, chapterFiles),
    renderEnv(env),
  );
};
rules.link_close = (_tokens, _idx, _options, env) => renderEnv(env).openLinks.pop() ?? "";

// An image shows only when it is a file beside the docs (a generated chart), inlined, in a
// figure that scrolls sideways: the docs column can be 320 px wide, where an 880 px chart
// shrunk to fit has 4 px letters. The figure takes keyboard focus, so arrows scroll it too.
rules.image = (tokens, idx, options, env) => {
  const token = tokens[idx] as Token;
  const alt = md.renderer.renderInlineAsText(token.children ?? [], options, env);
  const src = decoded(attr(token, "src"));
  const local = !/^[a-z][a-z\d+.-]*:|^\/\//i.test(src);
  const dataUrl = local ? renderEnv(env).context.imageDataUrl?.(src) : undefined;
  const label = escapeHtml(alt);
  if (!dataUrl) return `<span class="docs-image-missing">${label}</span>`;
  const image = `<img class="docs-image" src="${escapeHtml(dataUrl)}" alt="${label}">`;
  return `<span class="docs-figure" tabindex="0" role="group" aria-label="${label}">${image}</span>`;
};

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function plainText(inline: Token | undefined): string {
  return (inline?.children ?? [])
    .filter((child) => child.type === "text" || child.type === "code_inline")
    .map((child) => child.content)
    .join("");
}

/** Renders one chapter: sections, ids, highlighted code, and links the app can follow safely. */
export function renderChapter(markdown: string, context: ChapterContext): RenderedChapterSource {
  const env: RenderEnv = { context, openLinks: [] };
  const tokens = md.parse(markdown, env);

  // Heading ids the way GitHub numbers repeats, so `#step-1` means the same here and there.
  const seen = new Map<string, number>();
  let title: string | undefined;
  tokens.forEach((token, index) => {
    if (token.type !== "heading_open") return;
    const text = plainText(tokens[index + 1]);
    title ??= text;
    const base = slugify(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    token.attrSet("id", `docs-${count === 0 ? base : `${base}-${count}`}`);
  });

  // Each top-level heading opens a section; the step tags inside it name what it explains.
  const sections: { steps: string[]; tokens: Token[] }[] = [];
  let current: (typeof sections)[number] | undefined;
  for (const token of tokens) {
    if (!current || (token.type === "heading_open" && token.level === 0)) {
      current = { steps: [], tokens: [] };
      sections.push(current);
    }
    const step = token.type === "docs_step" ? token.meta?.step : undefined;
    if (typeof step === "string") current.steps.push(step);
    current.tokens.push(token);
  }
  const html = sections
    .map(({ steps, tokens: sectionTokens }) => {
      const body = md.renderer.render(sectionTokens, md.options, env);
      if (steps.length === 0) return `<section class="docs-section">\n${body}</section>\n`;
      // The badge shows when the panel marks this section as the step just done.
      return (
        `<section class="docs-section" data-steps="${escapeHtml(steps.join(" "))}">\n` +
        `<p class="docs-step-badge" hidden>The step you just did:</p>\n${body}</section>\n`
      );
    })
    .join("");
  return { title: title ?? context.file, html };
}
