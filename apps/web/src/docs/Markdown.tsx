import { createElement, type ReactNode } from "react";
import { highlight } from "./highlight";
import type { Block, Inline } from "./markdown";

/** Where a link in a chapter leads, as the panel understands it. */
export type LinkTarget =
  | { kind: "chapter"; file: string; anchor: string | undefined }
  | { kind: "external"; href: string }
  | { kind: "source"; path: string };

export interface MarkdownProps {
  blocks: readonly Block[];
  /** Resolves a link's href: another chapter, a heading, the web, or a file of the repository. */
  resolveLink: (href: string) => LinkTarget;
  onNavigate: (file: string, anchor: string | undefined) => void;
  /** The step id whose section should stand out, and the steps already done. */
  activeStep: string | null;
  litSteps: readonly string[];
}

// Children are passed to createElement as separate arguments, as JSX does for static children:
// a chapter's content never reorders, so it needs no keys.
type Props = Record<string, unknown> | null;
const h = (type: string, props: Props, children: readonly ReactNode[] = []) =>
  createElement(type, props, ...children);

/**
 * Renders parsed markdown as React elements: text stays text, nothing is parsed as HTML. Each
 * heading opens a `<section>`; a section whose heading carries the active step is marked.
 */
export function Markdown(props: MarkdownProps) {
  const sections: Block[][] = [];
  for (const block of props.blocks) {
    const last = sections[sections.length - 1];
    if (block.kind === "heading" || !last) sections.push([block]);
    else last.push(block);
  }
  const rendered = sections.map((blocks) => {
    const first = blocks[0];
    const steps = first?.kind === "heading" ? first.steps : [];
    const active = props.activeStep !== null && steps.includes(props.activeStep);
    const done = !active && steps.some((step) => props.litSteps.includes(step));
    const className = ["docs-section", active && "docs-step-active", done && "docs-step-done"]
      .filter(Boolean)
      .join(" ");
    const badge = active
      ? [h("p", { className: "docs-step-badge" }, ["The step you just did:"])]
      : [];
    return h(
      "section",
      {
        className,
        "data-steps": steps.length > 0 ? steps.join(" ") : undefined,
        "aria-current": active ? "step" : undefined,
      },
      [...badge, ...blocks.map((block) => renderBlock(block, props))],
    );
  });
  return h("div", { className: "docs-chapter" }, rendered);
}

function renderBlock(block: Block, props: MarkdownProps): ReactNode {
  const inlines = (content: readonly Inline[]) => renderInlines(content, props);
  switch (block.kind) {
    case "heading":
      return h(`h${Math.min(block.level + 1, 6)}`, { id: `docs-${block.slug}`, tabIndex: -1 }, [
        ...inlines(block.children),
      ]);
    case "paragraph":
      return h("p", null, inlines(block.children));
    case "list":
      return h(
        block.ordered ? "ol" : "ul",
        null,
        block.items.map((item) => h("li", null, inlines(item))),
      );
    case "code": {
      const tokens = highlight(block.text, block.language).map((token) =>
        token.kind === "plain"
          ? token.text
          : h("span", { className: `tok-${token.kind}` }, [token.text]),
      );
      const language = block.language || "text";
      return h("pre", { className: `docs-code language-${language}` }, [h("code", null, tokens)]);
    }
    case "table": {
      const head = h(
        "tr",
        null,
        block.header.map((cell) => h("th", { scope: "col" }, inlines(cell))),
      );
      const rows = block.rows.map((row) =>
        h(
          "tr",
          null,
          row.map((cell) => h("td", null, inlines(cell))),
        ),
      );
      return h("div", { className: "docs-table" }, [
        h("table", null, [h("thead", null, [head]), h("tbody", null, rows)]),
      ]);
    }
    case "details":
      return h("details", { className: "docs-details" }, [
        h("summary", null, inlines(block.summary)),
        ...block.children.map((child) => renderBlock(child, props)),
      ]);
  }
}

function renderInlines(inlines: readonly Inline[], props: MarkdownProps): ReactNode[] {
  return inlines.map((inline) => renderInline(inline, props));
}

function renderInline(inline: Inline, props: MarkdownProps): ReactNode {
  switch (inline.kind) {
    case "text":
      return inline.text;
    case "code":
      return h("code", null, [inline.text]);
    case "strong":
      return h("strong", null, renderInlines(inline.children, props));
    case "em":
      return h("em", null, renderInlines(inline.children, props));
    case "link":
      return renderLink(inline, props);
  }
}

function isWebUrl(href: string): boolean {
  try {
    const { protocol } = new URL(href);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

function renderLink(inline: Extract<Inline, { kind: "link" }>, props: MarkdownProps): ReactNode {
  const target = props.resolveLink(inline.href);
  const children = renderInlines(inline.children, props);
  switch (target.kind) {
    case "external": {
      // Only web links become links: a `javascript:` or `data:` href would run script as this page.
      if (!isWebUrl(target.href)) return h("span", { className: "docs-unsafe-link" }, children);
      return h("a", { href: target.href, target: "_blank", rel: "noopener noreferrer" }, children);
    }
    case "chapter":
      return h(
        "button",
        {
          type: "button",
          className: "docs-link",
          onClick: () => props.onNavigate(target.file, target.anchor),
        },
        children,
      );
    case "source":
      // A file of the repository: the app cannot open it, so name it for the reader's editor.
      return h(
        "span",
        { className: "docs-source", title: `In your editor: ${target.path}` },
        children,
      );
  }
}
