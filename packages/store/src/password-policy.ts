// What a new password must be (OWASP Authentication Cheat Sheet, "Implement Proper Password
// Strength Controls"; NIST SP 800-63B 5.1.1.2): long enough, and not one that attackers try
// first. No composition rules (a digit, a capital, a symbol): they make passwords harder to
// remember, not to guess.
import { readFileSync } from "node:fs";
import { demoUsers, maxPasswordLength, minPasswordLength } from "@repo/contract";

/** The form passwords are compared in: the one hashing uses (NFKC), and lower case. */
const comparable = (password: string) => password.normalize("NFKC").toLowerCase();

/** The shipped list of common passwords (common-passwords.txt), read once. */
const commonPasswords: ReadonlySet<string> = new Set(
  readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map(comparable),
);

/** The demo accounts' passwords are public: nobody may choose one for a real account. */
const demoPasswords: ReadonlySet<string> = new Set(
  demoUsers.map((user) => comparable(user.password)),
);

/**
 * Why a new password is refused, in words for its owner, or undefined when it is fine. Counted in
 * characters (Unicode code points after NFKC), so an emoji is one, as its owner sees it. Common
 * and demo passwords are refused in any case: "PASSWORD1" is no better than "password1".
 */
export function newPasswordProblem(password: string): string | undefined {
  const length = [...password.normalize("NFKC")].length;
  if (length < minPasswordLength) {
    return `Use at least ${minPasswordLength} characters; a few words make a good password.`;
  }
  if (length > maxPasswordLength) return `Use at most ${maxPasswordLength} characters.`;
  if (demoPasswords.has(comparable(password))) {
    return "That is a demo account's password, which everyone can read: choose another.";
  }
  if (commonPasswords.has(comparable(password))) {
    return "That password is one of the most common ones, which attackers try first: choose another.";
  }
  return undefined;
}

/** How many common passwords the shipped list holds (for its test). */
export const commonPasswordCount = commonPasswords.size;
