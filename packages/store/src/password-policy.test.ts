import { readFileSync } from "node:fs";
import { demoUsers, maxPasswordLength } from "@repo/contract";
import { describe, expect, it } from "vitest";
import { commonPasswordCount, newPasswordProblem } from "./password-policy";

describe("newPasswordProblem", () => {
  it("accepts 8 characters or more with no composition rules, up to the maximum", () => {
    for (const password of [
      "tangerine",
      "correct horse battery staple",
      "ключ-от-дома",
      "🐈🐈🐈🐈🐈🐈🐈🐈",
    ]) {
      expect(newPasswordProblem(password), password).toBeUndefined();
    }
    expect(newPasswordProblem("x".repeat(128))).toBeUndefined();
    expect(newPasswordProblem("y".repeat(maxPasswordLength))).toBeUndefined();
    expect(newPasswordProblem("y".repeat(maxPasswordLength + 1))).toMatch(/at most/);
  });

  it("refuses fewer than 8 characters, counting what people see, not UTF-16 units", () => {
    expect(newPasswordProblem("tangeri")).toMatch(/at least 8 characters/);
    // Seven cats are 14 UTF-16 units but 7 characters.
    expect(newPasswordProblem("🐈".repeat(7))).toMatch(/at least 8 characters/);
  });

  it("refuses a common password in any case, and every demo account's password", () => {
    for (const password of ["password", "PASSWORD1", "iloveyou", "Qwerty123", "1q2w3e4r"]) {
      expect(newPasswordProblem(password), password).toMatch(/most common/);
    }
    for (const { password } of demoUsers) {
      expect(newPasswordProblem(password)).toMatch(/demo account/);
      expect(newPasswordProblem(password.toUpperCase())).toMatch(/demo account/);
    }
  });

  it("ships a real list: 500 common passwords, each refused as common, none as too short", () => {
    const listed = readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"));
    expect(listed).toHaveLength(500);
    expect(commonPasswordCount).toBe(500);
    for (const password of listed) expect(newPasswordProblem(password)).toMatch(/most common/);
  });
});
