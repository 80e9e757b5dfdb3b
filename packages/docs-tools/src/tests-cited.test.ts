import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./fixture";
import { citedTests, missingTests } from "./tests-cited";

let fixture: Fixture;
beforeEach(() => {
  fixture = createFixture();
  fixture.write(
    "apps/api/src/login.test.ts",
    'import { rows } from "./rows";\nit("issues a new session id, so a planted id is worthless", () => {});\n',
  );
  fixture.write(
    "apps/api/src/rows.ts",
    'export const rows = [{ attack: "Replay after logout" }];\n',
  );
});
afterEach(() => fixture.remove());

describe("cited tests", () => {
  it("reads the file from the link and every “title” on a Proved by line", () => {
    const chapter = fixture.write(
      "docs/05.md",
      "Intro.\n**Proved by** [`login.test.ts`](../apps/api/src/login.test.ts): “a”, “b”\n",
    );
    expect(
      citedTests(
        "Intro.\n**Proved by** [`login.test.ts`](../apps/api/src/login.test.ts): “a”, “b”",
        chapter,
      ),
    ).toEqual([
      { file: `${fixture.root}/apps/api/src/login.test.ts`, title: "a", line: 2 },
      { file: `${fixture.root}/apps/api/src/login.test.ts`, title: "b", line: 2 },
    ]);
  });

  it("ignores a Proved by line shown as an example in fenced code", () => {
    const markdown = [
      "```md",
      "**Proved by** [`login.test.ts`](../apps/api/src/login.test.ts): “a”",
      "```",
      "**Proved by** [`login.test.ts`](../apps/api/src/login.test.ts): “b”",
    ].join("\n");
    const chapter = fixture.write("docs/05.md", markdown);
    expect(citedTests(markdown, chapter)).toEqual([
      { file: `${fixture.root}/apps/api/src/login.test.ts`, title: "b", line: 4 },
    ]);
  });

  it("counts a title only as a whole string literal, never a part of another title or prose", () => {
    fixture.write(
      "apps/api/src/logout.test.ts",
      [
        "// logs out on GET is not supported",
        'it("logs out, after which the cart is unreachable", () => {});',
        "it('refuses a forged token', () => {});",
        "it(`refuses an expired token`, () => {});",
      ].join("\n"),
    );
    const cite = (title: string) => `Proved by [\`a\`](../apps/api/src/logout.test.ts): “${title}”`;
    const chapter = fixture.write(
      "docs/05.md",
      [
        cite("logs out"),
        cite("logs out on GET"),
        cite("refuses a forged token"),
        cite("refuses an expired token"),
      ].join("\n"),
    );
    expect(missingTests([chapter], fixture.root)).toEqual([
      "docs/05.md:1: apps/api/src/logout.test.ts has no test titled “logs out”",
      "docs/05.md:2: apps/api/src/logout.test.ts has no test titled “logs out on GET”",
    ]);
  });

  it("finds titles in the test file or the modules it imports, and names what is missing", () => {
    const chapter = fixture.write(
      "docs/05.md",
      [
        "Proved by [`a`](../apps/api/src/login.test.ts): “issues a new session id, so a planted id is worthless”",
        "Proved by [`a`](../apps/api/src/login.test.ts): “Replay after logout”",
        "Proved by [`a`](../apps/api/src/login.test.ts): “logs out on GET”",
        "Proved by [`a`](../apps/api/src/gone.test.ts): “anything”",
        "Proved by [`a`](../apps/api/src/rows.ts): “Replay after logout”",
      ].join("\n"),
    );
    expect(missingTests([chapter], fixture.root)).toEqual([
      "docs/05.md:3: apps/api/src/login.test.ts has no test titled “logs out on GET”",
      "docs/05.md:4: apps/api/src/gone.test.ts does not exist",
      "docs/05.md:5: apps/api/src/rows.ts is not a test file",
    ]);
  });
});
