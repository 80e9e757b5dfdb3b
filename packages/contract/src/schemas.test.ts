import { describe, expect, it } from "vitest";
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

describe("shortenSecret", () => {
  it("keeps six characters, enough to tell ids apart and too few to use one", () => {
    expect(shortenSecret("abcdefghijklmnop")).toBe("abcdef…");
    expect(shortenSecret("abc")).toBe("…");
  });
});
