import { describe, expect, it } from "vitest";
import { canonicalizeUsername } from "./usernames";

describe("canonicalizeUsername", () => {
  it("trims and lower-cases, so ' ALICE ' is alice", () => {
    expect(canonicalizeUsername(" ALICE ")).toBe("alice");
  });

  it("folds compatibility forms with NFKC, so fullwidth ａｌｉｃｅ is alice", () => {
    expect(canonicalizeUsername("ａｌｉｃｅ")).toBe("alice");
  });

  it("gives one form for composed and decomposed accents", () => {
    expect(canonicalizeUsername("Jose\u0301")).toBe(canonicalizeUsername("José"));
  });

  it.each([
    ["zero-width joiner", "ali\u200dce"],
    ["zero-width space", "ali\u200bce"],
    ["zero-width non-joiner", "ali\u200cce"],
    ["right-to-left override", "\u202ealice"],
    ["bidi isolate", "al\u2066ice"],
    ["byte order mark inside", "ali\ufeffce"],
    ["soft hyphen", "ali\u00adce"],
    ["tab inside", "ali\tce"],
    ["NUL", "alice\u0000"],
    ["line separator", "ali\u2028ce"],
    ["variation selector", "alice\ufe0f"],
  ])("rejects a name with a %s", (_, raw) => {
    expect(canonicalizeUsername(raw)).toBeUndefined();
  });

  it("rejects empty and blank names", () => {
    expect(canonicalizeUsername("")).toBeUndefined();
    expect(canonicalizeUsername("   ")).toBeUndefined();
  });

  it("accepts 64 characters and rejects 65", () => {
    expect(canonicalizeUsername("a".repeat(64))).toBe("a".repeat(64));
    expect(canonicalizeUsername("a".repeat(65))).toBeUndefined();
  });

  it("measures the length after NFKC, which can grow a name", () => {
    // U+FB03 (the "ffi" ligature) becomes three letters.
    expect(canonicalizeUsername("\ufb03".repeat(22))).toBeUndefined();
  });
});
