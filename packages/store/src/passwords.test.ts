import { describe, expect, it } from "vitest";
import {
  insecureFastScryptParamsForTests as fast,
  hashPassword,
  needsRehash,
  owaspScryptParams,
  parsePasswordHash,
  verifyPassword,
} from "./passwords";

describe("password hashing", () => {
  it("uses OWASP's scrypt parameters (N=2^17, r=8, p=1) unless told otherwise", async () => {
    const stored = await hashPassword("wonderland42");
    expect(stored).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
    expect(parsePasswordHash(stored)).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(await verifyPassword("wonderland42", stored)).toBe(true);
  });

  it("records the parameters in the stored hash, so they can be read back", async () => {
    const stored = await hashPassword("wonderland42", fast);
    expect(parsePasswordHash(stored)).toEqual({ N: 2 ** 10, r: 8, p: 1 });
    expect(stored).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it("salts every hash, so one password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same", fast), hashPassword("same", fast)]);
    expect(a).not.toBe(b);
    expect(a?.split("$")[3]).not.toBe(b?.split("$")[3]);
  });

  it("accepts the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("wonderland42", fast);
    expect(await verifyPassword("wonderland42", stored)).toBe(true);
    expect(await verifyPassword("wonderland43", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("treats a password typed in another Unicode form as the same (NFKC)", async () => {
    const stored = await hashPassword("Jos\u00e9", fast);
    expect(await verifyPassword("Jose\u0301", stored)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["plain text", "wonderland42"],
    ["another scheme", "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"],
    [
      "a cost big enough to exhaust memory",
      "$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    ],
    ["a truncated hash", "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA"],
    ["missing the hash", "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0"],
  ])("answers false, without throwing, for a stored value that is %s", async (_, stored) => {
    expect(parsePasswordHash(stored)).toBeUndefined();
    expect(await verifyPassword("wonderland42", stored)).toBe(false);
  });

  it("says a hash needs redoing when its parameters are not the wanted ones", async () => {
    const stored = await hashPassword("wonderland42", fast);
    expect(needsRehash(stored, fast)).toBe(false);
    expect(needsRehash(stored, owaspScryptParams)).toBe(true);
    expect(needsRehash("garbage", fast)).toBe(true);
  });

  it("refuses to hash with parameters it could not verify later", async () => {
    await expect(hashPassword("x", { N: 1000, r: 8, p: 1 })).rejects.toThrow(RangeError);
  });
});
