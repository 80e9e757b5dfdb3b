import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chapterFiles, checkChapters, describeFailures, renderCommand, repoRoot } from "./docs";
import { createFixture, type Fixture } from "./fixture";
import { brokenLinks, linkCheckedFiles } from "./links";
import { scanRegions } from "./regions";
import { missingTests } from "./tests-cited";
import { unquotedRegions } from "./unquoted";

// The checks on the real docs/ of this repository; they run in `npm test`.
describe("docs/ as committed", () => {
  const checks = checkChapters(repoRoot);

  it("has chapters, and they cite code", () => {
    expect(chapterFiles(repoRoot).map((file) => relative(repoRoot, file))).toContain(
      "docs/README.md",
    );
    expect(checks.flatMap((check) => check.includes).length).toBeGreaterThan(0);
  });

  it("cites only files and regions that exist, none longer than 15 lines", () => {
    expect(checks.flatMap((check) => check.problems)).toEqual([]);
  });

  it(`holds every excerpt exactly as the code is now (else run ${renderCommand})`, () => {
    expect(describeFailures(repoRoot, checks)).toEqual([]);
  });

  it("names only tests that exist, by file and title", () => {
    expect(missingTests(chapterFiles(repoRoot), repoRoot)).toEqual([]);
  });

  it("has no broken relative link in docs/ or the root README", () => {
    expect(brokenLinks(linkCheckedFiles(repoRoot), repoRoot)).toEqual([]);
  });

  it("quotes every named region of apps/ and packages/ somewhere (else quote it or drop it)", () => {
    expect(unquotedRegions(repoRoot)).toEqual([]);
  });
});

describe("the unquoted-region check, on a temp repository", () => {
  let fixture: Fixture | undefined;
  afterEach(() => fixture?.remove());

  it("names a region no chapter quotes, and not one a chapter quotes", () => {
    fixture = createFixture();
    const code = [
      "// #region told",
      "const a = 1;",
      "// #endregion",
      "// #region untold",
      "const b = 2;",
      "// #endregion",
    ];
    fixture.write("apps/demo/src/code.ts", code.join("\n"));
    fixture.write("packages/none/src/index.ts", "export const none = 0;\n");
    fixture.write(
      "docs/README.md",
      "<!-- include: apps/demo/src/code.ts#told -->\n<!-- /include -->\n",
    );
    expect(unquotedRegions(fixture.root)).toEqual(["apps/demo/src/code.ts#untold"]);
  });
});

/** The source with one region's two marker lines deleted (its code stays, unmarked). */
function withoutRegion(source: string, name: string): string {
  const region = scanRegions(source).regions.get(name);
  if (!region) throw new Error(`no region ${name} to remove`);
  const markers = new Set([region.openLine, region.closeLine]);
  return source
    .split("\n")
    .filter((_, index) => !markers.has(index + 1))
    .join("\n");
}

// The same check on a throwaway copy, to prove it can fail.
describe("the region check, on a temp copy of the docs and the code they cite", () => {
  let fixture: Fixture | undefined;
  afterEach(() => fixture?.remove());

  /** Copies docs/ and every cited file into a temp root; returns one include to break. */
  function copyDocs() {
    fixture = createFixture();
    fixture.copyFrom(repoRoot, "docs");
    const includes = checkChapters(repoRoot).flatMap((check) =>
      check.includes.map((include) => ({ ...include, file: check.file })),
    );
    for (const path of new Set(includes.map((include) => include.path)))
      fixture.copyFrom(repoRoot, path);
    const victim = includes.find((include) => include.region !== undefined);
    if (!victim?.region) throw new Error("no chapter cites a region, so there is nothing to break");
    const root = fixture.root;
    expect(describeFailures(root, checkChapters(root))).toEqual([]); // the copy starts green
    return { root, victim: { ...victim, region: victim.region } };
  }

  it("fails, naming the chapter and the region, when a cited region is removed", () => {
    const { root, victim } = copyDocs();
    const source = join(root, victim.path);
    writeFileSync(source, withoutRegion(readFileSync(source, "utf8"), victim.region));

    const failures = describeFailures(root, checkChapters(root));
    expect(failures.length).toBeGreaterThan(0);
    const chapter = relative(repoRoot, victim.file);
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          `${chapter}:${victim.line}: include "${victim.target}": ${victim.path} has no region "${victim.region}"`,
        ),
      ]),
    );
  });

  it("fails with the render command when the code inside a cited region changes", () => {
    const { root, victim } = copyDocs();
    const source = join(root, victim.path);
    const text = readFileSync(source, "utf8");
    const region = scanRegions(text).regions.get(victim.region);
    if (!region) throw new Error(`no region ${victim.region} to change`);
    const lines = text.split("\n");
    const changed = region.startLine - 1; // the region's first line of code
    lines[changed] = `${lines[changed]} // changed by the test`;
    writeFileSync(source, lines.join("\n"));

    const failures = describeFailures(root, checkChapters(root));
    expect(failures).toContain(
      `${relative(repoRoot, victim.file)}: an excerpt is stale (the code changed); run \`${renderCommand}\` and commit the result`,
    );
    for (const failure of failures) expect(failure).toContain(renderCommand);
  });
});
