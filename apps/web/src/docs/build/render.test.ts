import { describe, expect, it } from "vitest";
import { renderChapter } from "./render";

const chapterFiles = new Set(["02-sessions.md", "05-security.md"]);

/** A chapter rendered at build time, parsed back into a DOM to look at. */
function rendered(markdown: string, imageDataUrl?: (src: string) => string | undefined) {
  const { title, html } = renderChapter(markdown, {
    file: "02-sessions.md",
    chapterFiles,
    ...(imageDataUrl ? { imageDataUrl } : {}),
  });
  const root = document.createElement("div");
  root.innerHTML = html;
  return { title, html, root };
}

describe("renderChapter", () => {
  it("opens a section per heading, tagged with its steps, and skips comments", () => {
    const { title, root } = rendered(
      [
        "# Title",
        "",
        "## Look the session up",
        "<!-- step: lookup_session -->",
        "",
        "First line",
        "second line.",
        "<!-- include: apps/x.ts#y -->",
        "1. one",
        "   wrapped",
        "2. two",
        "",
        "```ts",
        "const a = 1; // one",
        "```",
        "<!-- /include -->",
        "<!-- Generated;",
        "     do not edit -->",
      ].join("\n"),
    );
    expect(title).toBe("Title");
    const sections = [...root.querySelectorAll<HTMLElement>(":scope > section.docs-section")];
    expect(sections.map((section) => section.dataset.steps)).toEqual([undefined, "lookup_session"]);
    const [first, second] = sections;
    expect(first?.querySelector("h2")?.id).toBe("docs-title");
    expect(second?.querySelector("h3")?.textContent).toBe("Look the session up");
    expect(second?.querySelector("h3")?.getAttribute("tabindex")).toBe("-1");
    expect(second?.querySelector("p:not(.docs-step-badge)")?.textContent).toBe(
      "First line\nsecond line.",
    );
    expect([...(second?.querySelectorAll("ol > li") ?? [])].map((li) => li.textContent)).toEqual([
      "one\nwrapped",
      "two",
    ]);
    expect(second?.querySelector("pre.docs-code.language-ts")?.textContent).toBe(
      "const a = 1; // one",
    );
    // The badge is there for the panel to show when this section's step lights up.
    expect(second?.querySelector<HTMLElement>(".docs-step-badge")?.hidden).toBe(true);
    expect(root.textContent).not.toContain("<!--");
    expect(root.textContent).not.toContain("do not edit");
  });

  it("reads tables with escaped pipes, and details with a summary", () => {
    const { root } = rendered(
      [
        "| a | b |",
        "| --- | --- |",
        "| `x` | 1 \\| 2 |",
        "",
        "<details>",
        "<summary>Solution</summary>",
        "",
        "Inside *it*.",
        "</details>",
        "",
        "After.",
      ].join("\n"),
    );
    const table = root.querySelector(".docs-table > table");
    expect(
      [...(table?.querySelectorAll("th") ?? [])].map((th) => th.getAttribute("scope")),
    ).toEqual(["col", "col"]);
    expect([...(table?.querySelectorAll("td") ?? [])].map((td) => td.innerHTML)).toEqual([
      "<code>x</code>",
      "1 | 2",
    ]);
    const details = root.querySelector("details.docs-details");
    expect(details?.querySelector("summary")?.textContent).toBe("Solution");
    expect(details?.querySelector("p")?.innerHTML).toBe("Inside <em>it</em>.");
    expect(details?.nextElementSibling?.textContent).toBe("After.");
  });

  it("gives headings the anchors GitHub gives them, numbering repeats", () => {
    const { root } = rendered("## `alg` confusion: it's (RFC 8725, 2.1)\n## Step\n## Step");
    expect([...root.querySelectorAll("h3")].map((heading) => heading.id)).toEqual([
      "docs-alg-confusion-its-rfc-8725-21",
      "docs-step",
      "docs-step-1",
    ]);
  });

  it("reads code, links with code inside, strong, emphasis and escapes", () => {
    const { root } = rendered("**Proved by** [`a.test.ts`](../a.test.ts): *see* `x` \\*");
    expect(root.querySelector("p")?.innerHTML).toBe(
      '<strong>Proved by</strong> <span class="docs-source" title="In your editor: a.test.ts">' +
        "<code>a.test.ts</code></span>: <em>see</em> <code>x</code> *",
    );
  });

  it("keeps backticks inside a double-backtick code span", () => {
    const { root } = rendered("`` path: `prefix`/auth ``");
    expect(root.querySelector("code")?.textContent).toBe("path: `prefix`/auth");
  });

  it("shows raw HTML as text, never as elements", () => {
    const { root } = rendered(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\nA <b>bold</b> <iframe src="x">',
    );
    expect(root.querySelector("script, img, b, iframe")).toBeNull();
    expect(root.textContent).toContain("<script>alert(1)</script>");
    expect(root.textContent).toContain('<img src=x onerror="alert(2)">');
  });

  it("lets the keyboard reach code blocks and tables, which may scroll sideways", () => {
    const { root } = rendered(
      "```ts\nconst a = 1;\n```\n\n    indented\n\n| a | b |\n| - | - |\n| 1 | 2 |\n",
    );
    const scrollers = [...root.querySelectorAll("pre, .docs-table")];
    expect(scrollers).toHaveLength(3);
    for (const element of scrollers) expect(element.getAttribute("tabindex")).toBe("0");
  });

  it("colours code at build time, keeping every character", () => {
    const code = 'const a = "x"; // note\nreturn 42;';
    const { root } = rendered(`\`\`\`ts\n${code}\n\`\`\``);
    const pre = root.querySelector("pre.docs-code");
    expect(pre?.textContent).toBe(code);
    const tokens = [...(pre?.querySelectorAll("span") ?? [])].map((span) => [
      span.className.split(" ")[0],
      span.textContent,
    ]);
    expect(tokens).toEqual(
      expect.arrayContaining([
        ["tok-keyword", "const"],
        ["tok-string", '"x"'],
        ["tok-comment", "// note"],
        ["tok-keyword", "return"],
        ["tok-number", "42"],
      ]),
    );
  });

  it("leaves code in an unknown language plain, and escaped", () => {
    const { root } = rendered("```text\na <b> # b\n```");
    const pre = root.querySelector("pre.docs-code.language-text");
    expect(pre?.querySelector("span, b")).toBeNull();
    expect(pre?.textContent).toBe("a <b> # b");
  });
});

describe("links in a chapter", () => {
  const only = (markdown: string) => {
    const { root } = rendered(markdown);
    const element = root.querySelector("p")?.firstElementChild;
    if (!element) throw new Error(`no element in ${root.innerHTML}`);
    return element as HTMLElement;
  };

  it("link http and https addresses, in a new tab without an opener", () => {
    for (const href of ["https://owasp.org/cheat-sheets", "http://example.org/a?b=c"]) {
      const link = only(`[here](${href})`);
      expect(link.tagName).toBe("A");
      expect(link.getAttribute("href")).toBe(href);
      expect(link.getAttribute("target")).toBe("_blank");
      expect(link.getAttribute("rel")).toBe("noopener noreferrer");
    }
  });

  it.each([
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/",
  ])("render %s as plain text, never as a link", (href) => {
    const { root } = rendered(`[here](<${href}>) and <${href}>`);
    expect(root.querySelector("a, [href]")).toBeNull();
    expect(root.querySelector("span.docs-unsafe-link")?.textContent).toBe("here");
  });

  it("open another chapter, or a heading, in the panel", () => {
    const toChapter = only("[chapter 5](05-security.md#csrf)");
    expect(toChapter.outerHTML).toBe(
      '<button type="button" class="docs-link" data-file="05-security.md" data-anchor="csrf">chapter 5</button>',
    );
    const toHeading = only("[above](#what-a-session-holds)");
    expect(toHeading.dataset.file).toBe("02-sessions.md");
    expect(toHeading.dataset.anchor).toBe("what-a-session-holds");
  });

  it("name a file of the repository for the reader's editor, with its line", () => {
    const source = only("[auth.ts](../apps/session-api/src/auth.ts#L42)");
    expect(source.tagName).toBe("SPAN");
    expect(source.title).toBe("In your editor: apps/session-api/src/auth.ts:42");
  });
});

describe("images in a chapter", () => {
  const chart = "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=";
  const beside = (src: string) => (src === "generated/bench.svg" ? chart : undefined);

  it("show a file beside the docs, inlined", () => {
    const { root } = rendered("![The chart](generated/bench.svg)", beside);
    const image = root.querySelector("img");
    expect(image?.getAttribute("src")).toBe(chart);
    expect(image?.getAttribute("alt")).toBe("The chart");
    // In a figure that scrolls sideways in a narrow column, reachable from the keyboard.
    const figure = image?.parentElement;
    expect(figure?.className).toBe("docs-figure");
    expect(figure?.getAttribute("tabindex")).toBe("0");
    expect(figure?.getAttribute("aria-label")).toBe("The chart");
  });

  it("show only their text when they are elsewhere, or not there", () => {
    const { root } = rendered(
      "![remote](https://example.org/x.png) ![gone](generated/none.svg) ![js](javascript:alert(1))",
      beside,
    );
    expect(root.querySelector("img")).toBeNull();
    expect([...root.querySelectorAll(".docs-image-missing")].map((s) => s.textContent)).toEqual([
      "remote",
      "gone",
      "js",
    ]);
  });
});
