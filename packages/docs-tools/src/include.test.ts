import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./fixture";
import { maxExcerptLines, renderIncludes } from "./include";

const authSource = [
  "import express from 'express';",
  "",
  "// #region login",
  "router.post('/login', async (req, res) => {",
  "  // Regenerate the id so a planted one is worthless.",
  "  await regenerate(req);",
  "});",
  "// #endregion",
  "",
].join("\n");

let fixture: Fixture;
let docFile: string;
beforeEach(() => {
  fixture = createFixture();
  fixture.write("apps/api/src/auth.ts", authSource);
  docFile = join(fixture.root, "docs", "02-chapter.md");
});
afterEach(() => fixture.remove());

const render = (markdown: string) => renderIncludes(markdown, { root: fixture.root, docFile });

describe("renderIncludes", () => {
  it("writes the region under the directive, with a caption linking to its first line", () => {
    const { text, problems } = render(
      "Intro.\n\n<!-- include: apps/api/src/auth.ts#login -->\n\nAfter.",
    );
    expect(problems).toEqual([]);
    expect(text).toBe(
      [
        "Intro.",
        "",
        "<!-- include: apps/api/src/auth.ts#login -->",
        "[apps/api/src/auth.ts:4](../apps/api/src/auth.ts#L4)",
        "",
        "```ts",
        "router.post('/login', async (req, res) => {",
        "  // Regenerate the id so a planted one is worthless.",
        "  await regenerate(req);",
        "});",
        "```",
        "<!-- /include -->",
        "",
        "After.",
      ].join("\n"),
    );
  });

  it("gives the same text when run again (idempotent)", () => {
    const once = render("<!-- include: apps/api/src/auth.ts#login -->\n").text;
    expect(render(once).text).toBe(once);
  });

  it("replaces a stale excerpt with the code as it is now", () => {
    const once = render("<!-- include: apps/api/src/auth.ts#login -->\n").text;
    fixture.write(
      "apps/api/src/auth.ts",
      authSource.replace("await regenerate(req);", "await rotate(req);"),
    );
    const again = render(once).text;
    expect(again).not.toBe(once);
    expect(again).toContain("await rotate(req);");
    expect(again).not.toContain("regenerate(req)");
  });

  it("reports a missing file, a missing region and a source file cited without a region", () => {
    const { problems } = render(
      [
        "<!-- include: apps/api/src/nope.ts#login -->",
        "<!-- include: apps/api/src/auth.ts#logout -->",
        "<!-- include: apps/api/src/auth.ts -->",
        "<!-- include: ../outside.ts#x -->",
      ].join("\n"),
    );
    expect(problems).toEqual([
      'docs/02-chapter.md:1: include "apps/api/src/nope.ts#login": apps/api/src/nope.ts does not exist',
      'docs/02-chapter.md:2: include "apps/api/src/auth.ts#logout": apps/api/src/auth.ts has no region "logout" (regions: login)',
      'docs/02-chapter.md:3: include "apps/api/src/auth.ts": name a region (path#region) for source files',
      'docs/02-chapter.md:4: include "../outside.ts#x": give a path from the repository root',
    ]);
  });

  it(`refuses a region longer than ${maxExcerptLines} lines`, () => {
    const long = Array.from({ length: maxExcerptLines + 1 }, (_, i) => `call${i}();`);
    fixture.write("apps/api/src/long.ts", ["// #region long", ...long, "// #endregion"].join("\n"));
    const { problems } = render("<!-- include: apps/api/src/long.ts#long -->");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`region "long" is ${maxExcerptLines + 1} lines`);
  });

  it("keeps the old excerpt when a region has gone, so a failed render loses nothing", () => {
    const once = render("<!-- include: apps/api/src/auth.ts#login -->\n").text;
    fixture.write("apps/api/src/auth.ts", authSource.replace("// #region login", ""));
    const result = render(once);
    expect(result.problems).toHaveLength(1);
    expect(result.text).toBe(once);
  });

  it("links a region without quoting it for `see:`, whatever its length", () => {
    const { text, problems } = render("<!-- see: apps/api/src/auth.ts#login -->");
    expect(problems).toEqual([]);
    expect(text).toBe(
      [
        "<!-- see: apps/api/src/auth.ts#login -->",
        "Read it in the source: [apps/api/src/auth.ts:4](../apps/api/src/auth.ts#L4) (region `login`, 4 lines).",
        "<!-- /include -->",
      ].join("\n"),
    );
    expect(render(text).text).toBe(text);
  });

  it("embeds a generated markdown file whole, linked from its caption", () => {
    fixture.write("docs/generated/table.md", "| a | b |\n| --- | --- |\n| 1 | 2 |\n");
    const { text, problems } = render("<!-- include: docs/generated/table.md -->");
    expect(problems).toEqual([]);
    expect(text).toBe(
      [
        "<!-- include: docs/generated/table.md -->",
        "*Generated file: [docs/generated/table.md](generated/table.md)*",
        "",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "<!-- /include -->",
      ].join("\n"),
    );
  });

  it("leaves a directive inside a code fence alone, since it is only an example", () => {
    const example = "```md\n<!-- include: apps/api/src/auth.ts#missing -->\n```\n";
    expect(render(example)).toEqual({ text: example, includes: [], problems: [] });
  });

  it("fences an excerpt that itself holds backticks with a longer fence", () => {
    fixture.write("apps/api/src/ticks.ts", "// #region t\nconst md = `\n```\n`;\n// #endregion\n");
    const { text } = render("<!-- include: apps/api/src/ticks.ts#t -->");
    expect(text).toContain("````ts\nconst md = `\n```\n`;\n````");
  });

  it("links a .tsx excerpt with tsx highlighting", () => {
    fixture.write(
      "apps/web/src/A.tsx",
      "// #region a\nexport const A = () => <p />;\n// #endregion\n",
    );
    expect(render("<!-- include: apps/web/src/A.tsx#a -->").text).toContain("```tsx\n");
    expect(readFileSync(join(fixture.root, "apps/web/src/A.tsx"), "utf8")).toContain("#region a");
  });
});
