import { describe, expect, it } from "vitest";
import { modeSlug, selectModes } from "./modes";

const modes = [{ name: "session (SQLite)" }, { name: "JWT HS256 + denylist in SQLite" }];

describe("BENCH_ROWS", () => {
  it("spells each mode in lower case with dashes", () => {
    expect(modes.map((mode) => modeSlug(mode.name))).toEqual([
      "session-sqlite",
      "jwt-hs256-denylist-in-sqlite",
    ]);
  });

  it("keeps every mode when unset or empty", () => {
    expect(selectModes(modes, undefined)).toEqual(modes);
    expect(selectModes(modes, " ")).toEqual(modes);
  });

  it("keeps only the modes it names, in the table's order", () => {
    expect(selectModes(modes, "jwt-hs256-denylist-in-sqlite")).toEqual([modes[1]]);
  });

  it("stops on a name that matches no mode, so a typo is not a quick result", () => {
    expect(() => selectModes(modes, "session-sqlite,jwt-hs265")).toThrow(/no mode jwt-hs265/);
  });
});
