import { maxUsernameLength } from "@repo/contract";

// Control, format (zero-width, bidi overrides, BOM), surrogate, private-use and unassigned
// characters, line and paragraph separators, and anything else Unicode says to render as nothing.
const forbiddenCharacters = /[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * The one form of a username that lookups, the unique index and the login throttle use:
 * NFKC, trimmed, lower case. Undefined if it is empty, too long, or holds invisible characters.
 */
export function canonicalizeUsername(raw: string): string | undefined {
  if (typeof raw !== "string") return undefined;
  // Lower-casing can leave a string that NFKC would change again, so normalise on both sides.
  const canonical = raw.normalize("NFKC").trim().toLowerCase().normalize("NFKC");
  if (canonical.length === 0 || canonical.length > maxUsernameLength) return undefined;
  if (forbiddenCharacters.test(canonical)) return undefined;
  return canonical;
}
