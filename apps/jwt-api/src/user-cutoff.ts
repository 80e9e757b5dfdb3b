// The per-user cut-off (JWT_USER_CUTOFF=1): the known remedy for claims that outlive the facts.
// The store keeps one time per account, `tokensValidAfterMs`, moved forward when its role
// changes, when it is disabled, at a password change and at "log out everywhere"; a token issued
// before it is refused. The price is the lookup per request that the stateless design avoided.
import { describeRole, type Principal, type Trace } from "@repo/shop";
import type { Account, UserStore } from "@repo/store";
import { type AccessTokenClaims, cutOffToken } from "./access-token";

/** The account behind a verified token, as the principal, if it accepts the token; else 401. */
export async function checkCutOff(
  claims: Pick<AccessTokenClaims, "sub" | "iat">,
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
 * disabled, or the token was issued before the account's cut-off. `iat` counts whole seconds,
 * so the cut-off is compared in whole seconds too: a token issued in the very second of the
 * change survives it, and the tokens issued just after it (a refresh, a new password) work.
 */
// #region cutoff-rule
export function cutOffReason(
  account: Account | undefined,
  claims: Pick<AccessTokenClaims, "iat">,
): string | undefined {
  if (!account) return "no such user any more";
  if (account.disabled) return "the account is disabled";
  const cutOffSeconds = Math.floor(account.tokensValidAfterMs / 1000);
  if (claims.iat < cutOffSeconds) {
    const cutOff = new Date(cutOffSeconds * 1000).toISOString();
    return `issued ${new Date(claims.iat * 1000).toISOString()}, before the account's cut-off ${cutOff}`;
  }
  return undefined;
}
// #endregion
