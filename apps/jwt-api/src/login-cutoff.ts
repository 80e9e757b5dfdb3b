// The logins' cut-off: a password change or "log out everywhere", in either backend, ends every
// login begun before it. The store keeps that time per account (`loginsValidAfterMs`, moved by
// those two only, never by a role change: the next refresh brings the new role anyway), and
// refresh refuses a token family whose login came before it, revoking the family. It applies
// always, whatever JWT_USER_CUTOFF says (that setting governs access tokens), and costs no
// lookup: refresh loads the account anyway.
import type { Account } from "@repo/store";

/**
 * Why the account refuses to renew this login, or undefined if it does not: the account is gone
 * or disabled, or the family's login came before the account's cut-off. Exact to the
 * millisecond: the family a password change starts is logged in after the change, on the same
 * clock, so it stays; any login begun before the change ends at its next refresh.
 */
// #region login-cutoff-rule
export function cutOffReason(
  account: Account | undefined,
  loggedInAtMs: number,
): string | undefined {
  if (!account) return "no such user any more";
  if (account.disabled) return "the account is disabled";
  if (loggedInAtMs < account.loginsValidAfterMs) {
    const cutOff = new Date(account.loginsValidAfterMs).toISOString();
    return `logged in ${new Date(loggedInAtMs).toISOString()}, before the account's cut-off ${cutOff}`;
  }
  return undefined;
}
// #endregion
