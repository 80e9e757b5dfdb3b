import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errorStatus } from "@repo/contract";
import { describe, expect, it } from "vitest";
import {
  apiDocPath,
  errorCodeProblems,
  settingProblems,
  settingSources,
  settingsRead,
  settingsReadIn,
} from "./api-doc";
import { repoRoot } from "./docs";

const apiDoc = () => readFileSync(join(repoRoot, apiDocPath), "utf8");

describe("docs/api.md as committed", () => {
  it("reads settings from each backend's config, the shared one and the web app's", () => {
    expect(settingSources(repoRoot)).toEqual(
      expect.arrayContaining([
        "apps/jwt-api/src/config.ts",
        "apps/session-api/src/config.ts",
        "apps/web/vite.config.ts",
        "packages/shop/src/config.ts",
      ]),
    );
    // One name found each way the code reads one, so a silent extractor cannot pass.
    expect([...settingsReadIn(repoRoot).keys()]).toEqual(
      expect.arrayContaining(["NODE_ENV", "PORT", "SESSION_SECRET", "JWT_PRIVATE_KEY"]),
    );
  });

  it("lists every error code of the contract, with the status it travels with", () => {
    expect(errorCodeProblems(apiDoc(), errorStatus)).toEqual([]);
  });

  it("names every setting a config reads, and none that nothing reads", () => {
    expect(settingProblems(apiDoc(), settingsReadIn(repoRoot))).toEqual([]);
  });
});

describe("settingsRead", () => {
  it('finds env.NAME, env["NAME"] and a reader called with env and a name', () => {
    const source = [
      'const a = env.NODE_ENV === "production";',
      "const b = process.env.SESSION_API_URL;",
      'const c = env["DATA_DIR"];',
      'const d = readPositiveInt(env, "ACCESS_TOKEN_TTL_SECONDS", 900);',
      "const e = env[name]; // a parameter, found where the reader is called",
      'const f = other.FOO + read(config, "BAR");',
    ].join("\n");
    expect(settingsRead(source)).toEqual([
      "ACCESS_TOKEN_TTL_SECONDS",
      "DATA_DIR",
      "NODE_ENV",
      "SESSION_API_URL",
    ]);
  });
});

// The checks on small pages, to prove each can fail.
const page = (errors: string, settings: string) =>
  [
    "# Contract",
    "## Errors",
    "| status | code | when |",
    "| --- | --- | --- |",
    errors,
    "## Configuration",
    "| variable | default | meaning |",
    "| --- | --- | --- |",
    settings,
    "## Demo mode",
    "| `NOT_A_SETTING` | outside the configuration section, so not counted |",
  ].join("\n");

describe("errorCodeProblems", () => {
  const codes = { invalid_request: 400, internal: 500 };

  it("passes a page with a row per code", () => {
    const rows = "| 400 | `invalid_request` | bad |\n| 500 | `internal` | a bug |";
    expect(errorCodeProblems(page(rows, ""), codes)).toEqual([]);
  });

  it("fails when a code is missing, has the wrong status, or does not exist", () => {
    const rows = "| 401 | `invalid_request` | bad |\n| 418 | `teapot` | no |";
    expect(errorCodeProblems(page(rows, ""), codes)).toEqual([
      "docs/api.md:5: `invalid_request` is sent with 400, not 401",
      "docs/api.md: the errors table has no row for `internal` (500)",
      "docs/api.md:6: `teapot` is not an error code of the contract",
    ]);
  });
});

describe("settingProblems", () => {
  const readBy = new Map([
    ["PORT", ["apps/api/src/config.ts"]],
    ["JWT_PUBLIC_KEY", ["apps/api/src/config.ts"]],
  ]);

  it("passes a page that names each setting, several to a row if need be", () => {
    const rows = "| `PORT` | 4001 | where |\n| `JWT_PUBLIC_KEY`, `PORT` | unset | keys |";
    expect(settingProblems(page("", rows), readBy)).toEqual([]);
  });

  it("fails when a setting the code reads is missing, or one no code reads is listed", () => {
    const rows = "| `PORT` | 4001 | where |\n| `SHOP_STORE` | sqlite | planned |";
    expect(settingProblems(page("", rows), readBy)).toEqual([
      "docs/api.md: no configuration table names `JWT_PUBLIC_KEY`, read in apps/api/src/config.ts",
      "docs/api.md:10: `SHOP_STORE` is read by no config",
    ]);
  });
});
