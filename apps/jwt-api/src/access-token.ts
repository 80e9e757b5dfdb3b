// The access token itself: signing one at login and refresh, and checking one on every request
// (header, signature, claims), with the two 401s a client can get.
import { randomUUID } from "node:crypto";
import { type JwtLoginResponse, type Role, roles, shortenSecret, type User } from "@repo/contract";
import { HttpError, type Trace, traceOf } from "@repo/shop";
import { type Account, publicUser } from "@repo/store";
import type { RequestHandler, Response } from "express";
import jwt from "jsonwebtoken";
import type { TokenAlgorithm, TokenKeys } from "./keys";

// #region claims
/** Who makes the tokens and who they are for: use your auth server's URL and your API's. */
export const tokenIssuer = "urn:session-vs-jwt:jwt-api";
export const tokenAudience = "urn:session-vs-jwt:shop-api";
/** RFC 9068 §2.1's media type for access tokens, so no other kind of JWT passes for one. */
export const accessTokenType = "at+jwt";
/** How far apart two servers' clocks may be; small, as every second extends a token's life. */
export const clockToleranceSeconds = 5;
// #endregion

/** What signing needs, read at each call: the key, the token's lifetime, and the clock. */
interface Signing {
  keys: TokenKeys;
  accessTokenTtlSeconds: number;
  now: () => number;
}

// #region sign
/** Signs an access token for `account` and returns the login/refresh answer. */
export function issueAccessToken(account: Account, res: Response, deps: Signing): JwtLoginResponse {
  const iat = Math.floor(deps.now() / 1000);
  // The payload is only base64url: anyone holding the token can read it (OWASP JWT, "Token
  // Information Disclosure"), so nothing personal: the user id, the role the API trusts until
  // `exp`, a random `jti` naming this token, and the account's cut-off it was signed under.
  const { id: sub, role, tokensValidAfterMs: cutoff_ms } = account;
  const claims = { sub, role, jti: randomUUID(), iat, cutoff_ms };
  const accessToken = jwt.sign(claims, deps.keys.signingKey, {
    algorithm: deps.keys.algorithm, // our choice, never a library default
    header: { alg: deps.keys.algorithm, typ: accessTokenType }, // explicit typing, RFC 8725 §3.11
    expiresIn: deps.accessTokenTtlSeconds, // a number of seconds: the string "900" means 900 ms
    issuer: tokenIssuer,
    audience: tokenAudience,
  });
  // #endregion
  // #region return-token
  const expiresAt = new Date((iat + deps.accessTokenTtlSeconds) * 1000).toISOString();
  const detail = `${deps.keys.algorithm}; sub ${sub}, role ${role}, iss ${tokenIssuer}, aud ${tokenAudience}, exp ${expiresAt}, jti ${shortenSecret(claims.jti)}`;
  traceOf(res).add("sign_token", "access token signed", "ok", detail);
  const expiresIn = `expires in ${deps.accessTokenTtlSeconds} s`;
  traceOf(res).add("return_token", "access token returned in the body", "ok", expiresIn);
  const user: User = publicUser(account);
  return { user, accessToken, tokenType: "Bearer", expiresIn: deps.accessTokenTtlSeconds };
  // #endregion
}

/** What verifying needs, read at each call: the key and the clock. */
interface VerifyingDeps {
  keys: TokenKeys;
  now: () => number;
}

/** What a verified access token tells us: who, with which role, and when it was issued. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  jti: string;
  /** Issued at, in whole seconds (RFC 7519 §4.1.6). */
  iat: number;
  exp: number;
  /** `cutoff_ms`, a private claim (RFC 7519 §4.3): the account's cut-off it was signed under. */
  cutOffMs: number;
}

/** 401 for any token we did not issue or no longer accept; never the library's own message. */
export const invalidToken = () =>
  new HttpError("unauthenticated", "The access token is not valid.", undefined, {
    "WWW-Authenticate": 'Bearer error="invalid_token"',
  });

/** 401 for a token whose only fault is its age: the client should refresh, then retry. */
const expiredToken = () =>
  new HttpError("token_expired", "The access token has expired. Refresh it.", undefined, {
    "WWW-Authenticate":
      'Bearer error="invalid_token", error_description="The access token expired"',
  });

// #region verify-header
/** Why a token's header is refused, or undefined; `jwt.decode` only parses, it checks nothing. */
function headerProblem(token: string, algorithm: TokenAlgorithm): string | undefined {
  const header = decodeHeader(token);
  if (!header) return "not a JWT";
  // The algorithm is ours to choose, never the token's (RFC 8725 §3.1): this stops `alg: none` in
  // any spelling and an HS256 token "signed" with our ES256 public key (RFC 8725 §2.1).
  if (header.alg !== algorithm) return `alg ${String(header.alg)} is not ${algorithm}`;
  // kid, jku, jwk, x5u, x5c let a token pick its own key or a URL to fetch one from; we have one
  // key and fetch nothing, so such a header is refused, not ignored (RFC 8725 §3.10).
  const unexpected = Object.keys(header).filter((name) => name !== "alg" && name !== "typ");
  if (unexpected.length > 0) return `unexpected header ${unexpected.join(", ")}`;
  // Explicit typing (RFC 8725 §3.11): an ID token or other JWT signed with this key is refused.
  if (header.typ !== accessTokenType) return `typ ${String(header.typ)} is not ${accessTokenType}`;
  return undefined;
}
// #endregion

/**
 * The token's header, the part before the first dot, as a JSON object; undefined for anything
 * else. Only the header: `jwt.verify` decodes the whole token anyway, and decoding the payload
 * here too (`jwt.decode`) cost more than a quarter of the check on every request.
 */
function decodeHeader(token: string): Record<string, unknown> | undefined {
  const dot = token.indexOf(".");
  if (dot < 0) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, dot), "base64url").toString());
    const isObject = typeof header === "object" && header !== null && !Array.isArray(header);
    return isObject ? (header as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// #region verify
/** The claims of a valid access token; any fault throws the 401 the client should see. */
export function verifyAccessToken(token: string, deps: VerifyingDeps, trace: Trace) {
  const problem = headerProblem(token, deps.keys.algorithm); // before any cryptography
  const header = () => `alg ${deps.keys.algorithm}, typ ${accessTokenType}`; // for the trace
  trace.add("verify_token", "algorithm checked", problem ? "fail" : "ok", problem ?? header);
  if (problem) throw invalidToken();
  const nowSeconds = Math.floor(deps.now() / 1000);
  const options: jwt.VerifyOptions = {
    algorithms: [deps.keys.algorithm], // a literal list of one, never read from the token
    issuer: tokenIssuer, // made by us (RFC 8725 §3.8)...
    audience: tokenAudience, // ...for this API, not another that trusts the same key (§3.9)
    clockTolerance: clockToleranceSeconds, // for `nbf` here, and for `exp` in requiredClaims
    clockTimestamp: nowSeconds,
    ignoreExpiration: true, // checked by hand, so that one verify tells expired from forged
  };
  // #endregion
  // #region verify-signature
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, deps.keys.verificationKey, options);
  } catch (error) {
    trace.add("verify_token", "signature and claims checked", "fail", whyRefused(error));
    throw invalidToken();
  }
  trace.add("verify_token", "signature verified", "ok", deps.keys.algorithm);
  return requiredClaims(payload, nowSeconds, trace);
  // #endregion
}

/** Insists on the claims jsonwebtoken lets a token leave out, then checks `exp` by hand. */
function requiredClaims(
  payload: string | jwt.JwtPayload,
  nowSeconds: number,
  trace: Trace,
): AccessTokenClaims {
  // #region required-claims
  // jsonwebtoken accepts a token with no `exp` at all, one valid forever, so we require it
  // ourselves, with `sub`, `jti`, `iat` and our own `role` and `cutoff_ms` (RFC 7519 §4.1: all
  // optional unless we say so). A role we do not know is refused, never read as the lowest one.
  const { exp, sub, jti, iat, iss, aud, ...claims } = typeof payload === "object" ? payload : {};
  const { role: claimed, cutoff_ms: cutOffMs } = claims;
  const role = roles.find((known) => known === claimed);
  const numbers =
    typeof exp === "number" && typeof iat === "number" && Number.isSafeInteger(cutOffMs);
  if (!numbers || typeof sub !== "string" || typeof jti !== "string" || !role) {
    const required = "exp, iat, sub, jti, role and cutoff_ms are required";
    trace.add("verify_token", "claims checked", "fail", required);
    throw invalidToken();
  }
  // #endregion
  // #region expired
  // Signature, `iss`, `aud` and `nbf` have passed, so a token past its `exp` (and the clock
  // tolerance) has age as its only fault. It alone earns `token_expired`, the answer that tells
  // the client to refresh; any other fault got `unauthenticated` above.
  const expiresAt = () => new Date(exp * 1000).toISOString(); // built only for the trace
  if (exp <= nowSeconds - clockToleranceSeconds) {
    trace.add("verify_token", "claims checked", "fail", () => `exp ${expiresAt()} has passed`);
    throw expiredToken();
  }
  const detail = () => `iss ${iss}, aud ${aud}, exp ${expiresAt()}, sub ${sub}, role ${role}`;
  trace.add("verify_token", "claims checked", "ok", detail);
  return { sub, role, jti, iat, exp, cutOffMs };
  // #endregion
}

/** The refusals of tokens we did issue, that are only out of date: expired, or cut off. */
const staleTokens = new WeakSet<HttpError>();

/** 401 for a token of ours issued before its account's cut-off (JWT_USER_CUTOFF=1). */
export function cutOffToken(): HttpError {
  const error = invalidToken();
  staleTokens.add(error);
  return error;
}

/**
 * Logout's gate: an access token that is sent must pass `gate` (the usual `requireUser`), but one
 * that has only expired, or was cut off, is let through without a user, for the refresh cookie to
 * speak instead: a stale access token must never keep a login's refresh token alive.
 */
export function unlessExpired(gate: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    if (req.get("authorization") === undefined) return next();
    try {
      await gate(req, res, next);
    } catch (error) {
      const stale = error instanceof HttpError && staleTokens.has(error);
      if (!(error instanceof HttpError && error.code === "token_expired") && !stale) throw error;
      next();
    }
  };
}

/** Our own words for the trace, so no library message ever reaches a response. */
function whyRefused(error: unknown): string {
  if (error instanceof jwt.NotBeforeError) return "nbf is in the future";
  const message = error instanceof Error ? error.message : "";
  if (message === "invalid signature") return "the signature does not match";
  if (message.startsWith("jwt audience invalid")) return `aud is not ${tokenAudience}`;
  if (message.startsWith("jwt issuer invalid")) return `iss is not ${tokenIssuer}`;
  return "refused";
}
