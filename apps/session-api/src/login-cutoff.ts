// The logins' cut-off: a password change or "log out everywhere" ends every login begun before
// it. The store keeps that time per account (`loginsValidAfterMs`, moved by those two only, never
// by a role change: a session reads the role from the store at its next request anyway), and the
// gate refuses a session logged in before it: a session the store scan missed (one saved while the
// scan ran, or kept in another store), or one of a user who changed the password in the JWT
// backend, which cannot reach the sessions. It costs no lookup: requireUser loads the account.
import type { Account } from "@repo/store";

/**
 * Why the account refuses this session, or undefined if it does not: the account is gone or
 * disabled, or the session was logged in before the account's cut-off. Exact to the millisecond,
 * as the JWT backend's refresh: the session a password change starts is logged in after the
 * change stamped its cut-off, on the same clock, so it stays; any session begun before the change
 * ends, even in the same second (whole seconds would let that one survive it).
 */
// #region login-cutoff-rule
export function cutOffReason(
  account: Account | undefined,
  loggedInAtMs: number | undefined,
): string | undefined {
  if (!account) return "account no longer exists";
  if (account.disabled) return "the account is disabled";
  const loggedInAt = loggedInAtMs ?? 0; // a session without one predates every cut-off
  if (loggedInAt < account.loginsValidAfterMs) {
    const cutOff = new Date(account.loginsValidAfterMs).toISOString();
    return `logged in ${new Date(loggedInAt).toISOString()}, before the account's cut-off ${cutOff}`;
  }
  return undefined;
}
// #endregion
