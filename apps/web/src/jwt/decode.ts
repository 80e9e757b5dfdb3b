/** A JWT split into its three parts, as the usual JWT debugger shows them. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The parts as sent; the signature stays base64url: it is bytes only the server's key can check. */
  raw: { header: string; payload: string; signature: string };
}

export type DecodeResult = { ok: true; jwt: DecodedJwt } | { ok: false; reason: string };

const base64urlPattern = /^[A-Za-z0-9_-]*$/;

/** Decodes base64url (RFC 4648 §5, padding optional) to UTF-8 text; null when it is not. */
export function base64UrlDecode(input: string): string | null {
  if (!base64urlPattern.test(input) || input.length % 4 === 1) return null;
  const base64 = input.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeJsonPart(part: string): Record<string, unknown> | null {
  const text = base64UrlDecode(part);
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Reads a JWT without verifying it: anyone can read a token, only the key holder can sign one. */
export function decodeJwt(token: string): DecodeResult {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "A JWT has three dot-separated parts." };
  const [rawHeader = "", rawPayload = "", rawSignature = ""] = parts;
  const header = decodeJsonPart(rawHeader);
  if (!header) return { ok: false, reason: "The header is not base64url-encoded JSON." };
  const payload = decodeJsonPart(rawPayload);
  if (!payload) return { ok: false, reason: "The payload is not base64url-encoded JSON." };
  if (!base64urlPattern.test(rawSignature)) {
    return { ok: false, reason: "The signature is not base64url." };
  }
  return {
    ok: true,
    jwt: {
      header,
      payload,
      raw: { header: rawHeader, payload: rawPayload, signature: rawSignature },
    },
  };
}

/** Seconds until `exp` (negative once expired), or null when the payload has no numeric exp. */
export function secondsUntilExpiry(payload: Record<string, unknown>, nowMs: number): number | null {
  const exp = payload.exp;
  return typeof exp === "number" ? Math.floor(exp - nowMs / 1000) : null;
}
