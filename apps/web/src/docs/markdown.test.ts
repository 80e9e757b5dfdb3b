import { describe, expect, it } from "vitest";
import { highlight } from "./highlight";
import { parseInline, parseMarkdown } from "./markdown";

describe("parseMarkdown", () => {
  it("reads headings with their step tags, paragraphs, lists and code, skipping comments", () => {
    const blocks = parseMarkdown(
      [
        "# Title",
        "",
        "## Look the session up",
        "<!-- step: lookup_session -->",
        "",
        "First line",
        "second line.",
        "",
        "<!-- include: apps/x.ts#y -->",
        "1. one",
        "   wrapped",
        "2. two",
        "",
        "```ts",
        "const a = 1; // one",
        "```",
        "<!-- /include -->",
      ].join("\n"),
    );
    expect(blocks).toEqual([
      {
        kind: "heading",
        level: 1,
        slug: "title",
        children: [{ kind: "text", text: "Title" }],
        steps: [],
      },
      {
        kind: "heading",
        level: 2,
        slug: "look-the-session-up",
        children: [{ kind: "text", text: "Look the session up" }],
        steps: ["lookup_session"],
      },
      { kind: "paragraph", children: [{ kind: "text", text: "First line second line." }] },
      {
        kind: "list",
        ordered: true,
        items: [[{ kind: "text", text: "one wrapped" }], [{ kind: "text", text: "two" }]],
      },
      { kind: "code", language: "ts", text: "const a = 1; // one" },
    ]);
  });

  it("reads tables with escaped pipes, details with a summary, and multi-line comments", () => {
    const blocks = parseMarkdown(
      [
        "<!-- Generated;",
        "     do not edit -->",
        "| a | b |",
        "| --- | --- |",
        "| `x` | 1 \\| 2 |",
        "",
        "<details>",
        "<summary>Solution</summary>",
        "",
        "Inside.",
        "</details>",
      ].join("\n"),
    );
    expect(blocks).toEqual([
      {
        kind: "table",
        header: [[{ kind: "text", text: "a" }], [{ kind: "text", text: "b" }]],
        rows: [[[{ kind: "code", text: "x" }], [{ kind: "text", text: "1 | 2" }]]],
      },
      {
        kind: "details",
        summary: [{ kind: "text", text: "Solution" }],
        children: [{ kind: "paragraph", children: [{ kind: "text", text: "Inside." }] }],
      },
    ]);
  });

  it("numbers repeated headings the way GitHub anchors them", () => {
    const slugs = parseMarkdown("## `alg` confusion: it's (RFC 8725, 2.1)\n## Step\n## Step").map(
      (block) => (block.kind === "heading" ? block.slug : ""),
    );
    expect(slugs).toEqual(["alg-confusion-its-rfc-8725-21", "step", "step-1"]);
  });
});

describe("parseInline", () => {
  it("reads code, links with code inside, strong, emphasis and escapes", () => {
    expect(parseInline("**Proved by** [`a.test.ts`](../a.test.ts): *see* `x` \\*")).toEqual([
      { kind: "strong", children: [{ kind: "text", text: "Proved by" }] },
      { kind: "text", text: " " },
      { kind: "link", href: "../a.test.ts", children: [{ kind: "code", text: "a.test.ts" }] },
      { kind: "text", text: ": " },
      { kind: "em", children: [{ kind: "text", text: "see" }] },
      { kind: "text", text: " " },
      { kind: "code", text: "x" },
      { kind: "text", text: " *" },
    ]);
  });

  it("keeps backticks inside a double-backtick code span", () => {
    expect(parseInline("`` path: `prefix`/auth ``")).toEqual([
      { kind: "code", text: "path: `prefix`/auth" },
    ]);
  });

  it("leaves raw HTML as text", () => {
    expect(parseInline("<script>alert(1)</script>")).toEqual([
      { kind: "text", text: "<script>alert(1)</script>" },
    ]);
  });
});

describe("highlight", () => {
  it("colours comments, strings, keywords and numbers, and keeps every character", () => {
    const code = 'const a = "x"; // note\nreturn 42;';
    const tokens = highlight(code, "ts");
    expect(tokens.map((token) => token.text).join("")).toBe(code);
    expect(tokens.filter((token) => token.kind !== "plain")).toEqual([
      { kind: "keyword", text: "const" },
      { kind: "string", text: '"x"' },
      { kind: "comment", text: "// note" },
      { kind: "keyword", text: "return" },
      { kind: "number", text: "42" },
    ]);
  });

  it("leaves unknown languages plain", () => {
    expect(highlight("a # b", "text")).toEqual([{ kind: "plain", text: "a # b" }]);
  });
});
