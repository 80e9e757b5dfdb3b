// The claims the gate verified, kept per response so that logout can denylist the token.
import type { Response } from "express";
import type { AccessTokenClaims } from "./access-token";

/** Keyed by the response, typed, and gone with it; unlike `res.locals`, nothing else writes it. */
const verifiedClaims = new WeakMap<Response, AccessTokenClaims>();

/** Records what `requireUser` verified for this request. */
export function setVerifiedClaims(res: Response, claims: AccessTokenClaims): void {
  verifiedClaims.set(res, claims);
}

/** The claims of this request's access token, or undefined when none passed the gate. */
export function verifiedClaimsIfAny(res: Response): AccessTokenClaims | undefined {
  return verifiedClaims.get(res);
}
