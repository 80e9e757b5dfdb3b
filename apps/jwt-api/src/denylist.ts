// The access-token denylist (JWT_DENYLIST=1): logout lists a token's `jti` for as long as the
// token would still verify, and the gate refuses a listed one. Why, and at what price: auth.ts.
import { shortenSecret } from "@repo/contract";
import type { Trace } from "@repo/shop";
import { type AccessTokenClaims, clockToleranceSeconds } from "./access-token";
import type { TokenStateStore } from "./token-state";

/** What listing a token needs: the list, and the clock. */
interface DenylistDeps {
  tokenState: Pick<TokenStateStore, "denyAccessToken">;
  now: () => number;
}

// #region denylist-add
/** Lists the token's `jti` until verification would refuse the token anyway. */
export async function denyUntilExpiry(
  claims: Pick<AccessTokenClaims, "jti" | "exp">,
  deps: DenylistDeps,
  trace: Trace,
): Promise<void> {
  // Until `exp` plus the clock tolerance: verification accepts the token that long, too.
  const expiresAtMs = (claims.exp + clockToleranceSeconds) * 1000;
  await deps.tokenState.denyAccessToken({ jti: claims.jti, expiresAtMs }, deps.now());
  const detail = `jti ${shortenSecret(claims.jti)} until ${new Date(expiresAtMs).toISOString()}`;
  trace.add("clear_token", "access token denylisted", "ok", detail);
}
// #endregion
