// The CSRF token's mechanics; why the session backend needs one is told in auth.ts (csrf-why).
import { timingSafeEqual } from "node:crypto";

/** The methods that change nothing on this server. */
export const safeMethods: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

// #region csrf-compare
/** Constant-time comparison, so response times say nothing about how much of a guess matched. */
export function tokensMatch(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const sentBytes = Buffer.from(sent);
  const expectedBytes = Buffer.from(expected);
  // timingSafeEqual needs equal lengths; the length of a random token is no secret.
  return sentBytes.length === expectedBytes.length && timingSafeEqual(sentBytes, expectedBytes);
}
// #endregion
