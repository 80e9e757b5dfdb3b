import { type JwtDemoState, shortenSecret } from "@repo/contract";
import { usernamesById } from "@repo/shop";
import type { UserStore } from "@repo/store";
import type { TokenKeys } from "./keys";
import type { TokenStateStore } from "./token-state";

/** `GET /api/jwt/demo/state`: what the server keeps. No access tokens: it keeps none. */
export async function jwtDemoState(deps: {
  keys: TokenKeys;
  denylist: boolean;
  tokenState: TokenStateStore;
  users: UserStore;
  now: () => number;
}): Promise<JwtDemoState> {
  // At most `maxDemoStateRows` of each, newest first: the token state store caps them.
  const { refreshTokens, denylist } = await deps.tokenState.snapshot(deps.now());
  const usernames = await usernamesById(
    deps.users,
    refreshTokens.map((token) => token.userId),
  );
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    mode: "jwt",
    store: deps.tokenState.kind,
    algorithm: deps.keys.algorithm,
    accessTokensKept: 0,
    denylistEnabled: deps.denylist,
    // Shortened: enough to tell rows apart, never a whole hash (and never a token: none is kept).
    refreshTokens: refreshTokens.map((token) => ({
      id: shortenSecret(token.tokenHash),
      family: shortenSecret(token.familyId),
      userId: token.userId,
      username: usernames.get(token.userId) ?? null,
      issuedAt: iso(token.issuedAtMs),
      expiresAt: iso(token.expiresAtMs),
      status: token.status,
    })),
    denylist: denylist.map((entry) => ({
      jti: shortenSecret(entry.jti),
      expiresAt: iso(entry.expiresAtMs),
    })),
  };
}
