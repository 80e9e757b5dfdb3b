import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeJwt } from "../jwt/decode";
import { assemble, flipCharacter, guessedKey, signHs256, tamper, type tamperings } from "./forge";

const header = { alg: "HS256", typ: "at+jwt" };
const payload = { sub: "alice-id", role: "customer", jti: "j1", iat: 1, exp: 2 };
const token = assemble(header, payload, "c2lnbmF0dXJlLW9mLXRoZS1zZXJ2ZXI");

describe("signHs256", () => {
  it("signs as any HS256 implementation does (the same bytes as node's HMAC)", async () => {
    const input = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0";
    const expected = createHmac("sha256", "secret").update(input).digest("base64url");
    expect(await signHs256(input, "secret")).toBe(expected);
  });
});

describe("tamper", () => {
  it("changes what each way says, and leaves the rest of the token alone", async () => {
    const read = async (how: (typeof tamperings)[number]["id"]) => {
      const decoded = decodeJwt(await tamper(token, how, "bob-id"));
      if (!decoded.ok) throw new Error(decoded.reason);
      return decoded.jwt;
    };
    expect(await tamper(token, "untouched", "bob-id")).toBe(token);
    expect((await read("sub")).payload.sub).toBe("bob-id");
    expect((await read("claim")).payload.role).toBe("staff");
    const none = await read("alg-none");
    expect(none.header.alg).toBe("none");
    expect(none.raw.signature).toBe("");
    const flipped = await read("flip");
    expect(flipped.payload).toEqual(payload);
    expect(flipped.raw.signature).not.toBe(token.split(".")[2]);
  });

  it("re-signs with the guessed key, so the signature is valid for that key only", async () => {
    const forged = await tamper(token, "weak-key", "bob-id");
    const [h, p, signature] = forged.split(".");
    expect(signature).toBe(await signHs256(`${h}.${p}`, guessedKey));
    expect(decodeJwt(forged)).toMatchObject({ ok: true, jwt: { payload: { role: "staff" } } });
  });
});

describe("flipCharacter", () => {
  it("changes exactly one character, never to itself", () => {
    expect(flipCharacter("AAAA", 1)).toBe("ABAA");
    expect(flipCharacter("xyz", 0)).toBe("Ayz");
    expect(flipCharacter("xyz", 9)).toBe("xyz");
  });
});
