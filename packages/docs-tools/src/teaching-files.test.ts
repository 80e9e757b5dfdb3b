import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "./docs";
import { createFixture, type Fixture } from "./fixture";
import { maxTeachingFileLines, teachingFileProblems, teachingFiles } from "./teaching-files";

describe("the teaching files as committed", () => {
  it("finds both backends' auth.ts", () => {
    expect(teachingFiles(repoRoot)).toEqual([
      "apps/jwt-api/src/auth.ts",
      "apps/session-api/src/auth.ts",
    ]);
  });

  it("keep each auth.ts short, exporting createAuth, imported by no sibling", () => {
    expect(teachingFileProblems(repoRoot)).toEqual([]);
  });
});

// The same check on a throwaway repository, to prove each rule can fail.
describe("the teaching-file check, on a temp repository", () => {
  let fixture: Fixture;
  const auth = "export function createAuth() {\n  return {};\n}\n";

  beforeEach(() => {
    fixture = createFixture();
    fixture.write("apps/api/package.json", JSON.stringify({ name: "@repo/api" }));
    fixture.write("apps/api/src/auth.ts", `import { keys } from "./keys";\n${auth}`);
    fixture.write("apps/api/src/keys.ts", "export const keys = 1;\n");
    fixture.write("apps/api/src/app.ts", 'import { createAuth } from "./auth";\n');
    fixture.write("apps/api/src/auth.test.ts", 'import { createAuth } from "./auth";\n');
  });
  afterEach(() => fixture.remove());

  it("passes a teaching file that app.ts and its tests import, and that imports its siblings", () => {
    expect(teachingFileProblems(fixture.root)).toEqual([]);
  });

  it(`passes ${maxTeachingFileLines} lines and fails one more`, () => {
    const padding = (lines: number) => "// a line of narration\n".repeat(lines);
    fixture.write("apps/api/src/auth.ts", auth + padding(maxTeachingFileLines - 3));
    expect(teachingFileProblems(fixture.root)).toEqual([]);
    fixture.write("apps/api/src/auth.ts", auth + padding(maxTeachingFileLines - 2));
    expect(teachingFileProblems(fixture.root)).toEqual([
      `apps/api/src/auth.ts: ${maxTeachingFileLines + 1} lines, over ${maxTeachingFileLines}; move mechanics to a sibling file`,
    ]);
  });

  it("fails when auth.ts does not export createAuth", () => {
    fixture.write("apps/api/src/auth.ts", "export function apiAuth() {}\n");
    expect(teachingFileProblems(fixture.root)).toEqual([
      "apps/api/src/auth.ts: does not export createAuth",
    ]);
  });

  it("accepts createAuth exported as a const or from an export list", () => {
    fixture.write("apps/api/src/auth.ts", "export const createAuth = () => ({});\n");
    expect(teachingFileProblems(fixture.root)).toEqual([]);
    fixture.write("apps/api/src/auth.ts", "function createAuth() {}\nexport { createAuth };\n");
    expect(teachingFileProblems(fixture.root)).toEqual([]);
  });

  it.each([
    ["apps/api/src/keys.ts", 'import type { AuthDeps } from "./auth";\n'],
    ["apps/api/src/keys.ts", 'export { createAuth } from "./auth.ts";\n'],
    ["apps/api/src/keys.ts", 'const auth = await import("./auth");\n'],
    ["apps/api/src/routes/admin.ts", 'import { createAuth } from "../auth";\n'],
  ])("fails when a sibling (%s) imports auth.ts", (file, source) => {
    fixture.write(file, source);
    expect(teachingFileProblems(fixture.root)).toEqual([
      `${file}: imports apps/api/src/auth.ts, which imports its siblings, never the reverse`,
    ]);
  });

  it("does not mistake a sibling named like it for auth.ts", () => {
    fixture.write("apps/api/src/auth-deps.ts", "export interface AuthDeps {}\n");
    fixture.write("apps/api/src/keys.ts", 'import type { AuthDeps } from "./auth-deps";\n');
    expect(teachingFileProblems(fixture.root)).toEqual([]);
  });
});
