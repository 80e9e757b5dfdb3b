import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { foreignOrigin } from "./origin";

function requestFrom(origin: string | undefined, host = "127.0.0.1:5173", protocol = "http") {
  return { get: () => origin, host, protocol } as unknown as Request;
}

describe("foreignOrigin", () => {
  it("accepts our own origin, as the browser addressed it through the proxy", () => {
    expect(foreignOrigin(requestFrom("http://127.0.0.1:5173"), [])).toBeUndefined();
  });

  it("accepts a request with no Origin: no browser page started it", () => {
    expect(foreignOrigin(requestFrom(undefined), [])).toBeUndefined();
  });

  it("names another site's origin, including our own host on another port or scheme", () => {
    expect(foreignOrigin(requestFrom("https://attacker.example"), [])).toBe(
      "https://attacker.example",
    );
    expect(foreignOrigin(requestFrom("http://127.0.0.1:4002"), [])).toBe("http://127.0.0.1:4002");
    expect(foreignOrigin(requestFrom("https://127.0.0.1:5173"), [])).toBe("https://127.0.0.1:5173");
  });

  it("accepts an origin listed in CSRF_TRUSTED_ORIGINS", () => {
    expect(
      foreignOrigin(requestFrom("https://shop.example"), ["https://shop.example"]),
    ).toBeUndefined();
  });
});
