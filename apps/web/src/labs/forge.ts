import { decodeJwt } from "../jwt/decode";

// What anyone holding a token can do to it: read it, change it, and sign it again with a key
// they guess. Only the server's key makes a signature the server accepts; these helpers exist to
// show that every other way ends in 401.

/** base64url of UTF-8 text, without padding (RFC 7515, section 2). */
export function base64UrlEncode(text: string): string {
  return bytesToBase64Url(new TextEncoder().encode(text));
}

function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A token from its header and payload as JSON objects, with the signature given. */
export function assemble(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signature: string,
): string {
  return `${base64UrlEncode(JSON.stringify(header))}.${base64UrlEncode(JSON.stringify(payload))}.${signature}`;
}

/** HS256 over `header.payload` with `key`, as a guesser would sign (WebCrypto HMAC). */
export async function signHs256(signingInput: string, key: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(signingInput));
  return bytesToBase64Url(new Uint8Array(mac));
}

/**
 * Changes one character of a base64url string at `index`. Not the last one: its low bits are
 * padding, so some changes there decode to the very same bytes and prove nothing.
 */
export function flipCharacter(text: string, index = 0): string {
  const char = text[index];
  if (char === undefined) return text;
  const replacement = char === "A" ? "B" : "A";
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** The ways the tamper lab changes a token, each with what it stands for. */
export const tamperings = [
  { id: "untouched", label: "Untouched (the control)" },
  { id: "sub", label: "sub changed to another user's id" },
  { id: "claim", label: 'claim added: "role": "staff"' },
  { id: "alg-none", label: 'alg set to "none", signature dropped' },
  { id: "flip", label: "one signature character changed" },
  { id: "weak-key", label: 'changed, then re-signed with the guessed key "secret"' },
] as const;
export type TamperingId = (typeof tamperings)[number]["id"];

/** A guess from every "JWT secret" tutorial; the server's key is 32 random bytes. */
export const guessedKey = "secret";

/** The token changed one way; `otherUserId` is whose id a changed `sub` claims. */
export async function tamper(
  token: string,
  how: TamperingId,
  otherUserId: string,
): Promise<string> {
  const decoded = decodeJwt(token);
  if (!decoded.ok) throw new Error(`not a JWT: ${decoded.reason}`);
  const { header, payload, raw } = decoded.jwt;
  switch (how) {
    case "untouched":
      return token;
    case "sub":
      return assemble(header, { ...payload, sub: otherUserId }, raw.signature);
    case "claim":
      return assemble(header, { ...payload, role: "staff" }, raw.signature);
    case "alg-none":
      return assemble({ ...header, alg: "none" }, payload, "");
    case "flip":
      return `${raw.header}.${raw.payload}.${flipCharacter(raw.signature)}`;
    case "weak-key": {
      const changed = assemble(header, { ...payload, role: "staff" }, "");
      const signingInput = changed.slice(0, -1);
      return `${signingInput}.${await signHs256(signingInput, guessedKey)}`;
    }
  }
}
