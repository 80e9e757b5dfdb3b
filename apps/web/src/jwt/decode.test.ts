import { describe, expect, it } from "vitest";
import { base64UrlDecode, decodeJwt, secondsUntilExpiry } from "./decode";

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const header = { alg: "HS256", typ: "JWT" };
const payload = { sub: "u1", name: "Zoë ✓", exp: 1_900_000_000 };
const token = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.c2lnbmF0dXJl_-A`;

describe("base64UrlDecode", () => {
  it("reads the URL-safe alphabet without padding", () => {
    // "??>" is "Pz8-" in base64url and "Pz8+" in plain base64.
    expect(base64UrlDecode("Pz8-")).toBe("??>");
    expect(base64UrlDecode("Pz8_")).toBe("???");
    expect(base64UrlDecode(base64url("ab"))).toBe("ab");
  });

  it("refuses plain-base64 characters, impossible lengths and invalid UTF-8", () => {
    expect(base64UrlDecode("Pz8+")).toBeNull();
    expect(base64UrlDecode("abcde")).toBeNull();
    expect(base64UrlDecode("_w")).toBeNull(); // the single byte 0xff is not UTF-8
  });
});

describe("decodeJwt", () => {
  it("splits a token into header, payload and the untouched signature", () => {
    const result = decodeJwt(token);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.jwt.header).toEqual(header);
    expect(result.jwt.payload).toEqual(payload);
    expect(result.jwt.raw.signature).toBe("c2lnbmF0dXJl_-A");
  });

  it("explains what is wrong with bad input instead of throwing", () => {
    expect(decodeJwt("not-a-token")).toEqual({
      ok: false,
      reason: "A JWT has three dot-separated parts.",
    });
    expect(decodeJwt(`!!.${base64url("{}")}.sig`).ok).toBe(false);
    expect(decodeJwt(`${base64url("[1]")}.${base64url("{}")}.sig`).ok).toBe(false);
    expect(decodeJwt(`${base64url("{}")}.${base64url("not json")}.sig`)).toEqual({
      ok: false,
      reason: "The payload is not base64url-encoded JSON.",
    });
    expect(decodeJwt(`${base64url("{}")}.${base64url("{}")}.si+g`).ok).toBe(false);
  });
});

describe("secondsUntilExpiry", () => {
  it("counts down to exp and goes negative after it", () => {
    expect(secondsUntilExpiry({ exp: 100 }, 40_000)).toBe(60);
    expect(secondsUntilExpiry({ exp: 100 }, 105_000)).toBe(-5);
    expect(secondsUntilExpiry({}, 0)).toBeNull();
  });
});
