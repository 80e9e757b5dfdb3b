// The logins' cut-off: a password change or "log out everywhere" ends every login begun before
// it. The store keeps the cut-off per account (`loginsValidAfterMs`, moved strictly forward by
// those two only, never by a role change: a session reads the role from the store at its next
// request anyway); each session keeps the value its login's password was checked under, read
// with the hash; and the gate refuses a session whose value the account has since moved past: a
// session the store scan missed (one saved while the scan ran, or kept in another store), or one
// of a user who changed the password in the JWT backend, which cannot reach the sessions. It
// costs no lookup: requireUser loads the account.
import type { Account } from "@repo/store";

/**
 * Why the account refuses this session, or undefined if it does not: the account is gone or
 * disabled, or its cut-off moved after the session's login checked the password. A version,
 * compared exactly, not a clock: a login whose check of the old password was still running when
 * a change was saved holds the old value and ends too, however the two interleaved; the session a
 * password change starts keeps the value the change saved, so it stays. A session saved before
 * sessions kept the value has only its login's time, a moment at or after the cut-off it logged
 * in under, which reads the same way.
 */
// #region login-cutoff-rule
export function cutOffReason(
  account: Account | undefined,
  session: { loginCutOffMs?: number; loggedInAtMs?: number },
): string | undefined {
  if (!account) return "account no longer exists";
  if (account.disabled) return "the account is disabled";
  const checkedUnder = session.loginCutOffMs ?? session.loggedInAtMs ?? 0;
  if (checkedUnder < account.loginsValidAfterMs) {
    const movedTo = new Date(account.loginsValidAfterMs).toISOString();
    return `the account's cut-off moved to ${movedTo}, after this login's password check`;
  }
  return undefined;
}
// #endregion
