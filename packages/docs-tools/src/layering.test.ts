import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "./docs";
import { createFixture, type Fixture } from "./fixture";
import { layeringProblems, workspacesIn } from "./layering";

describe("the workspaces as committed", () => {
  it("finds the apps and the packages", () => {
    const names = (group: "apps" | "packages") =>
      workspacesIn(repoRoot, group).map(({ manifest }) => manifest.name);
    expect(names("apps")).toEqual(
      expect.arrayContaining([
        "@repo/session-api",
        "@repo/jwt-api",
        "@repo/web",
        "@repo/conformance",
      ]),
    );
    expect(names("packages")).toEqual(
      expect.arrayContaining(["@repo/contract", "@repo/store", "@repo/shop", "@repo/docs-tools"]),
    );
  });

  it("keep the apps on top: no package depends on an app, no app has a wildcard export", () => {
    expect(layeringProblems(repoRoot)).toEqual([]);
  });
});

// The same check on a throwaway repository, to prove each rule can fail.
describe("the layering check, on a temp repository", () => {
  let fixture: Fixture;
  const manifest = (name: string, extra: object = {}) =>
    JSON.stringify({ name, exports: { ".": "./src/index.ts" }, ...extra });

  beforeEach(() => {
    fixture = createFixture();
    fixture.write("apps/api/package.json", manifest("@repo/api"));
    fixture.write("apps/api/src/index.ts", "export const app = 1;\n");
    fixture.write("packages/shop/package.json", manifest("@repo/shop"));
    fixture.write("packages/shop/src/index.ts", "export const shop = 1;\n");
  });
  afterEach(() => fixture.remove());

  it("passes a repository whose packages stay below the apps", () => {
    expect(layeringProblems(fixture.root)).toEqual([]);
  });

  it.each(["dependencies", "devDependencies"])(
    "fails when a package names an app in %s",
    (field) => {
      fixture.write(
        "packages/shop/package.json",
        manifest("@repo/shop", { [field]: { "@repo/api": "*" } }),
      );
      expect(layeringProblems(fixture.root)).toEqual([
        `packages/shop/package.json: ${field} names the app @repo/api`,
      ]);
    },
  );

  it("fails when a package's source imports an app, even without declaring it", () => {
    fixture.write("packages/shop/src/index.ts", 'import { app } from "@repo/api/app";\n');
    expect(layeringProblems(fixture.root)).toEqual([
      "packages/shop/src/index.ts: imports the app @repo/api",
    ]);
  });

  it("fails when an app exports a wildcard into its source", () => {
    fixture.write(
      "apps/api/package.json",
      JSON.stringify({ name: "@repo/api", exports: { "./*": "./src/*.ts" } }),
    );
    expect(layeringProblems(fixture.root)).toEqual([
      'apps/api/package.json: exports "./*" opens every file in the app; export one public entry',
    ]);
  });

  it("fails when an export points at a file that does not exist", () => {
    fixture.write(
      "apps/api/package.json",
      JSON.stringify({ name: "@repo/api", exports: { ".": "./src/server.ts" } }),
    );
    expect(layeringProblems(fixture.root)).toEqual([
      "apps/api/package.json: exports points at ./src/server.ts, which does not exist",
    ]);
  });
});
