import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { citationProblems } from "./citations";
import { repoRoot } from "./docs";
import { createFixture, type Fixture } from "./fixture";

describe("citations in source comments, as committed", () => {
  it("cite docs/api.md, never API.md or an issue number", () => {
    expect(citationProblems(repoRoot)).toEqual([]);
  });
});

// The same check on a throwaway repository, to prove each rule can fail.
describe("the citation check, on a temp repository", () => {
  let fixture: Fixture;
  beforeEach(() => {
    fixture = createFixture();
    fixture.write("apps/api/src/ok.ts", '// See docs/api.md, "Errors".\nconst issue = 6;\n');
  });
  afterEach(() => fixture.remove());

  it("passes docs/api.md, and code that merely says issue", () => {
    expect(citationProblems(fixture.root)).toEqual([]);
  });

  it("fails a comment that cites API.md", () => {
    fixture.write("packages/shop/src/a.ts", "/** The 503 row of API.md. */\n");
    expect(citationProblems(fixture.root)).toEqual([
      "packages/shop/src/a.ts:1: /** The 503 row of API.md. */",
    ]);
  });

  it("fails a comment that cites an issue number, in src, scripts or e2e", () => {
    fixture.write("apps/web/scripts/size.ts", "// The budget of issue 7.\n");
    fixture.write("apps/web/e2e/a.e2e.test.ts", "  * as issues 6 and 7 asked\n");
    expect(citationProblems(fixture.root)).toEqual([
      "apps/web/e2e/a.e2e.test.ts:1: * as issues 6 and 7 asked",
      "apps/web/scripts/size.ts:1: // The budget of issue 7.",
    ]);
  });
});
