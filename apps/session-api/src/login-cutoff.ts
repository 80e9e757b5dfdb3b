// The logins' cut-off: a password change or "log out everywhere" ends every login begun before
// it. The store keeps that time per account (`loginsValidAfterMs`, moved by those two only, never
// by a role change: a session reads the role from the store at its next request anyway), and the
// gate refuses a session logged in before it: a session the store scan missed (one saved while the
// scan ran, or kept in another store), or one of a user who changed the password in the JWT
// backend, which cannot reach the sessions. It costs no lookup: requireUser loads the account.
import type { Account } from "@repo/store";

/**
 * Why the account refuses this session, or undefined if it does not: the account is gone or
 * disabled, or the session was logged in before the account's cut-off. Whole seconds, as the JWT
 * backend compares a token's `iat`: the session a password change itself starts (logged in just
 * after the change, often in the same second) survives it, and both backends end the same logins.
 */
// #region login-cutoff-rule
export function cutOffReason(
  account: Account | undefined,
  loggedInAtMs: number | undefined,
): string | undefined {
  if (!account) return "account no longer exists";
  if (account.disabled) return "the account is disabled";
  const cutOffSeconds = Math.floor(account.loginsValidAfterMs / 1000);
  const loggedInAt = loggedInAtMs ?? 0; // a session without one predates every cut-off
  if (Math.floor(loggedInAt / 1000) < cutOffSeconds) {
    const cutOff = new Date(cutOffSeconds * 1000).toISOString();
    return `logged in ${new Date(loggedInAt).toISOString()}, before the account's cut-off ${cutOff}`;
  }
  return undefined;
}
// #endregion
