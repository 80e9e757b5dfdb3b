import { describe, expect, it } from "vitest";
import { dedent, scanRegions } from "./regions";

const source = [
  "import x from 'y';", // 1
  "// #region outer", // 2
  "export function login() {", // 3
  "  // #region inner", // 4
  "  const id = regenerate();", // 5
  "  // #endregion", // 6
  "  return id;", // 7
  "}", // 8
  "// #endregion", // 9
  "", // 10
  "function f() {", // 11
  "    // #region indented", // 12
  "", // 13
  "    if (a) {", // 14
  "      b();", // 15
  "    }", // 16
  "", // 17
  "    // #endregion", // 18
  "}", // 19
].join("\n");

describe("scanRegions", () => {
  it("finds nested regions and strips every marker line from the excerpts", () => {
    const { regions, problems } = scanRegions(source);
    expect(problems).toEqual([]);
    expect(regions.get("outer")).toEqual({
      name: "outer",
      startLine: 3,
      lines: ["export function login() {", "  const id = regenerate();", "  return id;", "}"],
      openLine: 2,
      closeLine: 9,
    });
    expect(regions.get("inner")).toEqual({
      name: "inner",
      startLine: 5,
      lines: ["const id = regenerate();"],
      openLine: 4,
      closeLine: 6,
    });
  });

  it("dedents a region and starts it at its first non-blank line", () => {
    const region = scanRegions(source).regions.get("indented");
    expect(region).toEqual({
      name: "indented",
      startLine: 14,
      lines: ["if (a) {", "  b();", "}"],
      openLine: 12,
      closeLine: 18,
    });
  });

  it("reports unclosed, unopened, unnamed and duplicated regions", () => {
    expect(scanRegions("// #region a\nx").problems).toEqual(["line 1: #region a is never closed"]);
    expect(scanRegions("x\n// #endregion").problems).toEqual([
      "line 2: #endregion without a matching #region",
    ]);
    expect(scanRegions("// #region\n// #endregion").problems).toEqual([
      "line 1: a #region without a name",
    ]);
    expect(
      scanRegions("// #region a\n// #endregion\n// #region a\n// #endregion").problems,
    ).toEqual(['line 3: region "a" is defined twice']);
  });
});

describe("dedent", () => {
  it("removes only the indentation all non-blank lines share", () => {
    expect(dedent(["    a", "", "      b", "    c  "])).toEqual(["a", "", "  b", "c"]);
  });
});
