import { scrypt } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import {
  insecureFastScryptParamsForTests as fast,
  hashPassword,
  needsRehash,
  owaspScryptParams,
  parsePasswordHash,
  unmatchablePasswordHash,
  verifyPassword,
} from "./passwords";

// The real scrypt, watched, so a test can tell that no key derivation (and no allocation) ran.
vi.mock("node:crypto", async (importOriginal) => {
  const crypto = await importOriginal<typeof import("node:crypto")>();
  return { ...crypto, scrypt: vi.fn(crypto.scrypt) };
});

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
    [
      "over the 256 MiB bound (4 GiB)",
      "$scrypt$ln=22,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    ],
    [
      "over the 256 MiB bound (512 MiB)",
      "$scrypt$ln=17,r=32,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    ],
    ["over the bound on p", "$scrypt$ln=17,r=8,p=16$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"],
    [
      "against scrypt's N < 2^(16r) rule",
      "$scrypt$ln=16,r=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    ],
    ["a truncated hash", "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA"],
    ["missing the hash", "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0"],
  ])(
    "answers false, without throwing or deriving a key, for a stored value that is %s",
    async (_, stored) => {
      vi.mocked(scrypt).mockClear();
      expect(parsePasswordHash(stored)).toBeUndefined();
      expect(await verifyPassword("wonderland42", stored)).toBe(false);
      expect(scrypt).not.toHaveBeenCalled();
    },
  );

  it("reads stored parameters up to the bound: a 256 MiB table and p=4", async () => {
    const atBound = "$scrypt$ln=18,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
    expect(parsePasswordHash(atBound)).toEqual({ N: 2 ** 18, r: 8, p: 1 });
    expect(parsePasswordHash(atBound.replace("p=1", "p=4"))).toEqual({ N: 2 ** 18, r: 8, p: 4 });
    // One real derivation at the bound, so the fixed maxmem is known to be enough for it.
    expect(await verifyPassword("wonderland42", atBound)).toBe(false);
  });

  it("refuses to hash with parameters over the memory bound", async () => {
    await expect(hashPassword("x", { N: 2 ** 19, r: 8, p: 1 })).rejects.toThrow(RangeError);
    await expect(hashPassword("x", { N: 2 ** 10, r: 8, p: 5 })).rejects.toThrow(RangeError);
  });

  it("makes a well-formed hash at the given parameters that no password matches", async () => {
    const dummy = unmatchablePasswordHash(fast);
    expect(parsePasswordHash(dummy)).toEqual(fast);
    expect(unmatchablePasswordHash(fast)).not.toBe(dummy);
    expect(await verifyPassword("", dummy)).toBe(false);
    expect(await verifyPassword("not the password of anyone", dummy)).toBe(false);
  });

  it("says a hash needs redoing when its parameters are weaker than the wanted ones", async () => {
    const stored = await hashPassword("wonderland42", fast);
    expect(needsRehash(stored, fast)).toBe(false);
    expect(needsRehash(stored, owaspScryptParams)).toBe(true);
    expect(needsRehash(stored, { ...fast, p: 2 })).toBe(true);
    expect(needsRehash("garbage", fast)).toBe(true);
    // Never a downgrade: a hash stronger than the wanted parameters stays as it is.
    expect(needsRehash(unmatchablePasswordHash(owaspScryptParams), fast)).toBe(false);
  });

  it("refuses to hash with parameters it could not verify later", async () => {
    await expect(hashPassword("x", { N: 1000, r: 8, p: 1 })).rejects.toThrow(RangeError);
  });
});
