import { type JwtDemoState, shortenSecret } from "@repo/contract";
import { HttpError, Trace, usernamesById } from "@repo/shop";
import type { UserStore } from "@repo/store";
import type { Request } from "express";
import { verifyAccessToken } from "./access-token";
import { readBearerToken } from "./bearer";
import type { TokenKeys } from "./keys";
import type { TokenStateStore } from "./token-state";
import { checkCutOff } from "./user-cutoff";

interface DemoStateDeps {
  keys: TokenKeys;
  /** Read at each request, as the gate reads them: demo mode may switch them at run time. */
  denylist: boolean;
  userCutoff: boolean;
  tokenState: TokenStateStore;
  users: UserStore;
  now: () => number;
}

/**
 * `GET /api/jwt/demo/state`: what the server keeps. No access tokens: it keeps none. Refresh
 * tokens are shown only for the caller's own user (every device it is logged in on); the others
 * are counted, since a workshop room can reach this page and must not learn who is logged in.
 */
export async function jwtDemoState(deps: DemoStateDeps, req: Request): Promise<JwtDemoState> {
  // At most `maxDemoStateRows` of each, newest first: the token state store caps them.
  const caller = await callerUserId(req, deps);
  const snapshot = await deps.tokenState.snapshot(deps.now(), caller);
  const { refreshTokens, otherRefreshTokens, denylist } = snapshot;
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
    otherRefreshTokens,
    // A shortened jti and an expiry name no user, so every entry is shown.
    denylist: denylist.map((entry) => ({
      jti: shortenSecret(entry.jti),
      expiresAt: iso(entry.expiresAtMs),
    })),
  };
}

/**
 * The user of the request's access token, if it sends one the gate would take: valid, and with
 * the denylist or the cut-off on, neither logged out nor cut off. Its checks stay untraced.
 */
async function callerUserId(req: Request, deps: DemoStateDeps): Promise<string | undefined> {
  const untraced = new Trace(); // reading the table is no step of the workflow
  try {
    const claims = verifyAccessToken(readBearerToken(req, untraced), deps, untraced);
    if (deps.denylist && (await deps.tokenState.isAccessTokenDenied(claims.jti, deps.now()))) {
      return undefined;
    }
    if (deps.userCutoff) await checkCutOff(claims, deps.users, untraced);
    return claims.sub;
  } catch (error) {
    if (error instanceof HttpError) return undefined; // no token, or one we refuse: anonymous
    throw error;
  }
}
