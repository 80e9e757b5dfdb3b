// The claims the gate verified, kept per response so that logout can denylist the token.
import type { Response } from "express";
import type { AccessTokenClaims } from "./access-token";

/** Keyed by the response, typed, and gone with it; unlike `res.locals`, nothing else writes it. */
const verifiedClaims = new WeakMap<Response, AccessTokenClaims>();

/** Records what `requireUser` verified for this request. */
export function setVerifiedClaims(res: Response, claims: AccessTokenClaims): void {
  verifiedClaims.set(res, claims);
}

/** The claims of this request's access token; calling it on a route without the gate is a bug. */
export function verifiedClaimsOf(res: Response): AccessTokenClaims {
  const claims = verifiedClaims.get(res);
  if (!claims) throw new Error("verifiedClaimsOf() called on a route without the gate");
  return claims;
}
