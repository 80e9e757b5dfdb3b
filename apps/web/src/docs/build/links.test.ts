import { describe, expect, it } from "vitest";
import { resolveLink } from "./links";

describe("resolveLink", () => {
  const files = new Set(["02-sessions.md", "04-side-by-side.md"]);

  it("tells chapters, headings, generated files, source files and the web apart", () => {
    expect(resolveLink("02-sessions.md#csrf", "01.md", files)).toEqual({
      kind: "chapter",
      file: "02-sessions.md",
      anchor: "csrf",
    });
    expect(resolveLink("./02-sessions.md", "01.md", files)).toEqual({
      kind: "chapter",
      file: "02-sessions.md",
      anchor: undefined,
    });
    expect(resolveLink("#top", "01.md", files)).toEqual({
      kind: "chapter",
      file: "01.md",
      anchor: "top",
    });
    expect(resolveLink("generated/attack-table.md", "01.md", files)).toEqual({
      kind: "chapter",
      file: "04-side-by-side.md",
      anchor: "the-tested-attack-table",
    });
    expect(resolveLink("../apps/session-api/src/auth.ts#L42", "02.md", files)).toEqual({
      kind: "source",
      path: "apps/session-api/src/auth.ts:42",
    });
    expect(resolveLink("https://example.org", "02.md", files)).toEqual({
      kind: "external",
      href: "https://example.org",
    });
  });

  it.each([
    "javascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,x",
    "mailto:a@example.org",
    "//evil.example/",
  ])("never lets %s through as a link", (href) => {
    expect(resolveLink(href, "02.md", files).kind).not.toBe("external");
  });
});
