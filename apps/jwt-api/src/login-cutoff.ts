// The logins' cut-off: a password change or "log out everywhere", in either backend, ends every
// login begun before it. The store keeps the cut-off per account (`loginsValidAfterMs`, moved
// strictly forward by those two only, never by a role change: the next refresh brings the new
// role anyway); each token family keeps the value its login's password was checked under, read
// with the hash; and refresh refuses a family whose value the account has since moved past,
// revoking it. It applies always, whatever JWT_USER_CUTOFF says (that setting governs access
// tokens), and costs no lookup: refresh loads the account anyway.
import type { Account } from "@repo/store";

/**
 * Why the account refuses to renew this login, or undefined if it does not: the account is gone
 * or disabled, or its cut-off moved after the login's password was checked. A version, compared
 * exactly, not a clock: a login whose check of the old password was still running when a change
 * was saved holds the old value and ends too, however the two interleaved; the family the change
 * starts keeps the value the change saved, so it stays.
 */
// #region login-cutoff-rule
export function cutOffReason(
  account: Account | undefined,
  loginCutOffMs: number,
): string | undefined {
  if (!account) return "no such user any more";
  if (account.disabled) return "the account is disabled";
  if (loginCutOffMs < account.loginsValidAfterMs) {
    const movedTo = new Date(account.loginsValidAfterMs).toISOString();
    return `the account's cut-off moved to ${movedTo}, after this login's password check`;
  }
  return undefined;
}
// #endregion
