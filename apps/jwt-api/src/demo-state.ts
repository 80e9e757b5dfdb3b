import { type JwtDemoState, shortenSecret } from "@repo/contract";
import type { UserStore } from "@repo/store";
import type { TokenKeys } from "./auth";
import type { TokenStateStore } from "./token-state";

/** `GET /api/jwt/demo/state`: what the server keeps. No access tokens: it keeps none. */
export async function jwtDemoState(deps: {
  keys: TokenKeys;
  denylist: boolean;
  tokenState: TokenStateStore;
  users: UserStore;
  now: () => number;
}): Promise<JwtDemoState> {
  // At most 100 of each, newest first: the store caps them, as session-api caps its sessions.
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

/** Each distinct user looked up once, however many rows are theirs. */
async function usernamesById(users: UserStore, ids: string[]): Promise<Map<string, string | null>> {
  const usernames = new Map<string, string | null>();
  for (const id of new Set(ids))
    usernames.set(id, (await users.findUserById(id))?.username ?? null);
  return usernames;
}
