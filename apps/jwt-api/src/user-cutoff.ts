// The per-user cut-off (JWT_USER_CUTOFF=1): the known remedy for claims that outlive the facts.
// The store keeps one value per account, `tokensValidAfterMs`, moved forward when its role
// changes, when it is disabled, at a password change and at "log out everywhere"; a token signed
// before the latest move is refused. The price is the lookup per request that the stateless
// design avoided.
//
// Each token carries the value it was signed under, in the private claim `cutoff_ms`, and the
// check is whether the account's value is still that one. Comparing the token's `iat` with the
// cut-off's time would not be exact: `iat` counts whole seconds, so a token from the same second
// as the change would survive it; with milliseconds (a fractional `iat`, which RFC 7519 allows),
// a refresh that read the account just before the change but signed just after it would still
// pass, as would every token of a server whose clock is a little ahead of the one that made the
// change, and a password change stamps its time before it spends a while hashing. The store
// moves the value strictly forward at every change (1 ms at least), so it is a version as well
// as a time: no clock is compared, and the token a change itself hands out, signed from the
// account as it is after the change, carries the new value and passes.
import { describeRole, HttpError, type Principal, type Trace } from "@repo/shop";
import type { Account, UserStore } from "@repo/store";
import { type AccessTokenClaims, cutOffToken } from "./access-token";

/** The account behind a verified token, as the principal, if it accepts the token; else 401. */
export async function checkCutOff(
  claims: Pick<AccessTokenClaims, "sub" | "cutOffMs">,
  users: Pick<UserStore, "findAccountById">,
  trace: Trace,
): Promise<Principal> {
  // #region cutoff-check
  const account = await users.findAccountById(claims.sub);
  const refused = cutOffReason(account, claims);
  if (refused || !account) {
    trace.add("verify_token", "account checked against its cut-off", "fail", refused);
    throw cutOffToken(); // 401; logout lets it through to the refresh cookie, as an expired one
  }
  // The role is the store's now, not the token's.
  const principal = { id: account.id, role: account.role, roleFrom: "store" } as const;
  trace.add("verify_token", "account checked against its cut-off", "ok", describeRole(principal));
  return principal;
  // #endregion
}

/**
 * Why the account refuses this token, or undefined if it does not: the account is gone or
 * disabled, or its cut-off has moved since the token was signed.
 */
// #region cutoff-rule
export function cutOffReason(
  account: Account | undefined,
  claims: Pick<AccessTokenClaims, "cutOffMs">,
): string | undefined {
  if (!account) return "no such user any more";
  if (account.disabled) return "the account is disabled";
  if (claims.cutOffMs !== account.tokensValidAfterMs) {
    const signedUnder = new Date(claims.cutOffMs).toISOString();
    const now = new Date(account.tokensValidAfterMs).toISOString();
    return `signed under the account's cut-off ${signedUnder}, since moved to ${now}`;
  }
  return undefined;
}
// #endregion

/**
 * The account a login signs for: the one its password check read, so the token's role and its
 * `cutoff_ms` come from the read the hash matched in (a change saved since has moved the
 * account's cut-off past it). Read once more, so an account disabled or deleted while the
 * password was being checked (a race with staff) gets no token at all: answered as a wrong
 * password.
 */
export async function accountToSign(
  checked: Account,
  deps: { users: Pick<UserStore, "findAccountById"> },
): Promise<Account> {
  const current = await deps.users.findAccountById(checked.id);
  if (!current || current.disabled) {
    throw new HttpError("invalid_credentials", "Wrong username or password.");
  }
  return checked;
}
