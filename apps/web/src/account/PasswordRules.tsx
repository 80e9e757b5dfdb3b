import { maxPasswordLength, minPasswordLength } from "@repo/contract";

/**
 * The rules a new password meets, as the server checks them (OWASP Authentication Cheat Sheet,
 * NIST SP 800-63B): shown before typing, so nobody has to learn them from a refusal.
 */
export function PasswordRules({ id }: { id: string }) {
  return (
    <ul id={id} className="password-rules">
      <li>
        {minPasswordLength} to {maxPasswordLength} characters; a few words make a good one.
      </li>
      <li>Any characters, spaces and emoji included; no digit, capital or symbol required.</li>
      <li>Not a common password, and not one of the demo accounts' passwords (they are public).</li>
    </ul>
  );
}
