import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./fixture";
import { brokenLinks, extractLinks, headingAnchors, slugify } from "./links";

let fixture: Fixture;
beforeEach(() => {
  fixture = createFixture();
  fixture.write("apps/api/src/auth.ts", "line 1\nline 2\nline 3\n");
  fixture.write(
    "docs/02-other.md",
    "# Sessions, step by step\n\n## The `sid` cookie\n\n## Step\n\n## Step\n",
  );
});
afterEach(() => fixture.remove());

const check = (markdown: string) => {
  const file = fixture.write("docs/01-chapter.md", markdown);
  return brokenLinks([file], fixture.root);
};

describe("link check", () => {
  it("accepts links to files, lines, headings, its own headings and the outside world", () => {
    expect(
      check(
        [
          "# Top",
          "[code](../apps/api/src/auth.ts) [line](../apps/api/src/auth.ts#L3)",
          "[range](../apps/api/src/auth.ts#L1-L3) [chapter](02-other.md#the-sid-cookie)",
          "[again](02-other.md#step-1) [self](#top) [web](https://example.org/x)",
          '<a href="02-other.md">html</a>',
        ].join("\n"),
      ),
    ).toEqual([]);
  });

  it("names the file and line of every link that does not resolve", () => {
    expect(
      check(
        [
          "[gone](../apps/api/src/gone.ts)",
          "[past the end](../apps/api/src/auth.ts#L4)",
          "[no heading](02-other.md#tokens)",
          "[self](#nowhere)",
          "[not a line](../apps/api/src/auth.ts#login)",
        ].join("\n"),
      ),
    ).toEqual([
      "docs/01-chapter.md:1: ../apps/api/src/gone.ts: apps/api/src/gone.ts does not exist",
      "docs/01-chapter.md:2: ../apps/api/src/auth.ts#L4: apps/api/src/auth.ts has only 3 lines",
      "docs/01-chapter.md:3: 02-other.md#tokens: docs/02-other.md has no heading #tokens",
      "docs/01-chapter.md:4: #nowhere: docs/01-chapter.md has no heading #nowhere",
      "docs/01-chapter.md:5: ../apps/api/src/auth.ts#login: #login is neither a line (#L12) nor a heading of a markdown file",
    ]);
  });

  it("ignores links shown as code", () => {
    expect(extractLinks("`[a](gone.md)`\n```md\n[b](gone.md)\n```\n[c](here.md)")).toEqual([
      { target: "here.md", line: 5 },
    ]);
  });
});

describe("heading anchors", () => {
  it("slug headings the way GitHub does", () => {
    expect(slugify("Why HTTP forgets: the disappearing cart")).toBe(
      "why-http-forgets-the-disappearing-cart",
    );
    expect(slugify("`alg` confusion (RFC 8725, 2.1)")).toBe("alg-confusion-rfc-8725-21");
    expect([...headingAnchors("# A\n## A\n```\n# not\n```\n")]).toEqual(["a", "a-1"]);
  });
});
