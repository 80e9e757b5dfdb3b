import { describe, expect, it } from "vitest";
import { adminUserChangeSchema } from "./admin";
import { passwordChangeRequestSchema, signupRequestSchema, userSchema } from "./auth";
import { addItemRequestSchema, setItemRequestSchema } from "./shop";
import { shortenSecret } from "./values";

describe("cart request schemas", () => {
  it("accept whole quantities in range and refuse everything else", () => {
    expect(addItemRequestSchema.safeParse({ productId: "claw-hammer", quantity: 99 }).success).toBe(
      true,
    );
    for (const quantity of [0, -1, 1.5, "1", 100, Number.POSITIVE_INFINITY, null]) {
      expect(addItemRequestSchema.safeParse({ productId: "claw-hammer", quantity }).success).toBe(
        false,
      );
    }
    expect(setItemRequestSchema.safeParse({ quantity: 0 }).success).toBe(true);
  });

  it("refuse unknown keys, so __proto__ never reaches an object", () => {
    const body = JSON.parse('{"productId":"claw-hammer","quantity":1,"__proto__":{"admin":true}}');
    expect(addItemRequestSchema.safeParse(body).success).toBe(false);
  });

  it("refuse product ids that are not slugs", () => {
    for (const productId of ["../etc", "Claw", "", "a".repeat(65)]) {
      expect(addItemRequestSchema.safeParse({ productId, quantity: 1 }).success).toBe(false);
    }
  });
});

describe("admin user change", () => {
  it("accepts a role, a disabled flag or both", () => {
    for (const change of [
      { role: "staff" },
      { disabled: true },
      { role: "customer", disabled: false },
    ]) {
      expect(adminUserChangeSchema.safeParse(change).success).toBe(true);
    }
  });

  it("refuses an empty change, an unknown role, a non-boolean flag and any other key", () => {
    const bad = [
      {},
      { role: "admin" },
      { disabled: "true" },
      { disabled: 1 },
      { role: "staff", username: "mallory" },
      JSON.parse('{"role":"staff","__proto__":{"admin":true}}'),
      null,
      [],
    ];
    for (const change of bad) expect(adminUserChangeSchema.safeParse(change).success).toBe(false);
  });
});

describe("user", () => {
  it("carries a role, customer or staff, and nothing else", () => {
    const user = { id: "1", username: "sam", displayName: "Sam", role: "staff" };
    expect(userSchema.strict().parse(user)).toEqual(user);
    expect(userSchema.safeParse({ ...user, role: "admin" }).success).toBe(false);
    expect(userSchema.safeParse({ id: "1", username: "sam", displayName: "Sam" }).success).toBe(
      false,
    );
  });
});

describe("account requests", () => {
  it("take a sign-up's username, password and display name, trimmed, and nothing else", () => {
    const signup = { username: "carol", password: "tangerine dream", displayName: " Carol " };
    expect(signupRequestSchema.parse(signup)).toEqual({ ...signup, displayName: "Carol" });
    for (const body of [
      { ...signup, role: "staff" },
      { ...signup, displayName: "   " },
      { ...signup, displayName: "Car\u200bol" },
      { ...signup, displayName: "x".repeat(65) },
      { ...signup, username: "" },
      { username: "carol", password: "tangerine dream" },
    ]) {
      expect(signupRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });

  it("take a password change's current and new password, and nothing else", () => {
    const change = { currentPassword: "old one", newPassword: "tangerine dream" };
    expect(passwordChangeRequestSchema.parse(change)).toEqual(change);
    expect(passwordChangeRequestSchema.safeParse({ ...change, userId: "u1" }).success).toBe(false);
    expect(passwordChangeRequestSchema.safeParse({ newPassword: "x" }).success).toBe(false);
  });
});

describe("shortenSecret", () => {
  it("keeps six characters, enough to tell ids apart and too few to use one", () => {
    expect(shortenSecret("abcdefghijklmnop")).toBe("abcdef…");
    expect(shortenSecret("abc")).toBe("…");
  });
});
