// How a request proves who it is, the JWT way: the whole lesson of this backend is in this file.
//
// At login the server signs a short-lived *access token* (a JWT) and hands it to the client, which
// sends it back on every request in `Authorization: Bearer <token>`. The server keeps no record
// of it: the signature and a few claims say who is asking, with no session to look up. That is
// the promise of JWTs, and also their cost: a token cannot be called back before it expires. So
// it lives 15 minutes, and a long-lived *refresh token* (opaque, stored hashed, in an HttpOnly
// cookie the page's scripts cannot read) gets the client a new one.
//
// Not a request without a lookup, though: the gate still loads the user from the store on every
// request, so that a deleted account stops working at once, and with JWT_DENYLIST=1 it checks
// the denylist too. What the server does not keep is the login itself.
//
// Sources cited below: RFC 7519 (JWT), RFC 8725 (JWT Best Current Practices), RFC 9068 (JWT
// access tokens), RFC 6750 (Bearer tokens), RFC 9700 (OAuth 2.0 Security BCP), and the OWASP
// JSON Web Token Cheat Sheet for Java (whose advice is not about Java), "OWASP JWT" below.
//
// Why the cart routes need no CSRF token here, when the session backend needs one: a browser
// attaches cookies to a request by itself, even to one another site's page triggers, which is
// what CSRF abuses. It never attaches an `Authorization` header by itself: only this app's own
// script can, and another site's script cannot read our token to do so. The refresh cookie *is*
// sent by the browser, though, to every `/auth/` route; the two that read it, `/auth/refresh` and
// `/auth/logout`, keep two defences: the cookie is SameSite=Strict, and a request from a foreign
// `Origin` is refused (`rejectForeignOrigin`, shared with the session backend in packages/shop),
// as is a login from another site's page, which would set the cookie.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type KeyObject,
  randomBytes,
  randomUUID,
} from "node:crypto";
import {
  apiPrefix,
  type JwtLoginResponse,
  type JwtMeResponse,
  refreshCookieName,
  shortenSecret,
  type User,
} from "@repo/contract";
import {
  ConfigError,
  checkCredentials,
  currentUser,
  HttpError,
  isWeakSecret,
  type LoginThrottle,
  minSecretBytes,
  rejectForeignOrigin,
  secureCookie,
  setCurrentUser,
  type Trace,
  traceOf,
} from "@repo/shop";
import type { UserStore } from "@repo/store";
import cookieParser from "cookie-parser";
import {
  type CookieOptions,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from "express";
import jwt from "jsonwebtoken";
import type { TokenStateStore } from "./token-state";

/** What the auth routes need; `app.ts` builds it from config and the stores. */
export interface AuthDeps {
  keys: TokenKeys;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  denylist: boolean;
  /** Production: cookies are Secure (HTTPS only) whatever the request came over. */
  isProduction: boolean;
  /** Origins besides our own that may use the refresh cookie (CSRF_TRUSTED_ORIGINS). */
  trustedOrigins: string[];
  users: UserStore;
  tokenState: TokenStateStore;
  throttle: LoginThrottle;
  /** The clock in milliseconds: `Date.now`, or a test's clock that can jump ahead. */
  now: () => number;
}

// #region keys
/** The algorithms this server can be set to; one instance signs and accepts exactly one. */
export const tokenAlgorithms = ["HS256", "ES256"] as const;
export type TokenAlgorithm = (typeof tokenAlgorithms)[number];

/** Keys as jsonwebtoken should get them: KeyObjects, built once at start. */
export interface TokenKeys {
  algorithm: TokenAlgorithm;
  /** HS256: the secret. ES256: the private key, which never leaves this process. */
  signingKey: KeyObject;
  /** HS256: the same secret. ES256: the public key, safe to give any service that must verify. */
  verificationKey: KeyObject;
}
// #endregion

// #region keys-create
/** Key material as config reads it: one shared secret, or an EC key pair in PEM. */
export type KeyMaterial =
  | { algorithm: "HS256"; secret: string }
  | { algorithm: "ES256"; privateKeyPem: string; publicKeyPem: string };

/** Builds the KeyObjects once; a wrong or weak key stops the start with a ConfigError. */
export function createTokenKeys(material: KeyMaterial): TokenKeys {
  // A KeyObject, never a string: given a string, jsonwebtoken tries to parse it as a PEM key on
  // every call (about 40x slower), and the key's type pins the algorithm family it can verify.
  return material.algorithm === "HS256"
    ? hs256Keys(material.secret)
    : es256Keys(material.privateKeyPem, material.publicKeyPem);
}
// #endregion

// #region keys-hs256
/** HS256: one shared secret both signs and verifies. */
function hs256Keys(secret: string): TokenKeys {
  // A short secret can be guessed offline by anyone holding one token: they try candidates on
  // their own machine until a signature matches (RFC 8725 §3.5; OWASP JWT, "Weak Token Secret").
  // RFC 7518 §3.2: an HS256 key must be at least as long as the hash, 256 bits (32 bytes).
  if (isWeakSecret(secret)) {
    throw new ConfigError(
      `JWT_SECRET must be at least ${minSecretBytes} bytes of random data, not a short or repetitive string; e.g. \`openssl rand -base64 48\`.`,
    );
  }
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  return { algorithm: "HS256", signingKey: key, verificationKey: key };
}
// #endregion

// #region keys-es256
/** ES256: a key pair; the private key signs, the public key verifies. */
function es256Keys(privateKeyPem: string, publicKeyPem: string): TokenKeys {
  const privateKey = parseKey("JWT_PRIVATE_KEY", () => createPrivateKey(privateKeyPem));
  const publicKey = parseKey("JWT_PUBLIC_KEY", () => createPublicKey(publicKeyPem));
  // ES256 is ECDSA on the P-256 curve (RFC 7518 §3.4), and the two halves must belong together.
  if (!isP256(privateKey) || !isP256(publicKey)) {
    throw new ConfigError("JWT_ALG=ES256 needs an EC key pair on the P-256 (prime256v1) curve.");
  }
  const derivedPublicKey = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  if (!derivedPublicKey.equals(publicKey.export({ type: "spki", format: "der" }))) {
    throw new ConfigError("JWT_PUBLIC_KEY is not the public half of JWT_PRIVATE_KEY.");
  }
  return { algorithm: "ES256", signingKey: privateKey, verificationKey: publicKey };
}
// #endregion

function parseKey(name: string, parse: () => KeyObject): KeyObject {
  try {
    return parse();
  } catch {
    throw new ConfigError(`${name} is not a readable PEM key.`);
  }
}

const isP256 = (key: KeyObject) =>
  key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1";

// #region claims
/** Who makes the tokens and who they are for: use your auth server's URL and your API's. */
export const tokenIssuer = "urn:session-vs-jwt:jwt-api";
export const tokenAudience = "urn:session-vs-jwt:shop-api";
/** RFC 9068 §2.1's media type for access tokens, so no other kind of JWT passes for one. */
export const accessTokenType = "at+jwt";
/** How far apart two servers' clocks may be; small, as every second extends a token's life. */
export const clockToleranceSeconds = 5;
// #endregion

// #region sign
/** Signs an access token for `user` and returns the login/refresh answer. */
function issueAccessToken(user: User, res: Response, deps: AuthDeps): JwtLoginResponse {
  const iat = Math.floor(deps.now() / 1000);
  // The payload is only base64url, not encrypted: anyone holding the token can read it (OWASP
  // JWT, "Token Information Disclosure"). So it holds the user id and nothing personal; the
  // name and everything else come from the store. `jti` (random) names this one token.
  const claims = { sub: user.id, jti: randomUUID(), iat };
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
  const detail = `${deps.keys.algorithm}; sub ${user.id}, iss ${tokenIssuer}, aud ${tokenAudience}, exp ${expiresAt}, jti ${shortenSecret(claims.jti)}`;
  traceOf(res).add("sign_token", "access token signed", "ok", detail);
  traceOf(res).add(
    "return_token",
    "access token returned in the body",
    "ok",
    `expires in ${deps.accessTokenTtlSeconds} s`,
  );
  return { user, accessToken, tokenType: "Bearer", expiresIn: deps.accessTokenTtlSeconds };
  // #endregion
}

/** 401 for a request without credentials: RFC 6750 §3.1's challenge, without an error code. */
const missingToken = () =>
  new HttpError(
    "unauthenticated",
    "Send an access token: Authorization: Bearer <token>.",
    undefined,
    { "WWW-Authenticate": "Bearer" },
  );

/** 401 for any token we did not issue or no longer accept; never the library's own message. */
const invalidToken = () =>
  new HttpError("unauthenticated", "The access token is not valid.", undefined, {
    "WWW-Authenticate": 'Bearer error="invalid_token"',
  });

/** 401 for a token whose only fault is its age: the client should refresh, then retry. */
const expiredToken = () =>
  new HttpError("token_expired", "The access token has expired. Refresh it.", undefined, {
    "WWW-Authenticate":
      'Bearer error="invalid_token", error_description="The access token expired"',
  });

/** What a verified access token tells us; everything else about the user is looked up. */
interface AccessTokenClaims {
  sub: string;
  jti: string;
  exp: number;
}

/** The claims the gate verified, per response, for logout to denylist; typed, unlike res.locals. */
const verifiedClaims = new WeakMap<Response, AccessTokenClaims>();

function setVerifiedClaims(res: Response, claims: AccessTokenClaims): void {
  verifiedClaims.set(res, claims);
}

/** The claims of this request's access token; calling it on a route without the gate is a bug. */
function verifiedClaimsOf(res: Response): AccessTokenClaims {
  const claims = verifiedClaims.get(res);
  if (!claims) throw new Error("verifiedClaimsOf() called on a route without the gate");
  return claims;
}

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

function decodeHeader(token: string): Record<string, unknown> | undefined {
  try {
    const decoded = jwt.decode(token, { complete: true });
    return decoded && typeof decoded.payload === "object" ? { ...decoded.header } : undefined;
  } catch {
    return undefined;
  }
}

// #region verify
/** Checks the signature and claims of an access token; throws the 401 the client should see. */
function verifyAccessToken(token: string, deps: AuthDeps, trace: Trace): AccessTokenClaims {
  const problem = headerProblem(token, deps.keys.algorithm); // before any cryptography
  const header = `alg ${deps.keys.algorithm}, typ ${accessTokenType}`;
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

// #region required-claims
/** Insists on the claims jsonwebtoken lets a token leave out, then checks `exp` by hand. */
function requiredClaims(
  payload: string | jwt.JwtPayload,
  nowSeconds: number,
  trace: Trace,
): AccessTokenClaims {
  // jsonwebtoken accepts a token with no `exp` at all, one valid forever (its issue #220), so we
  // require it ourselves, with `sub` and `jti` (RFC 7519 §4.1: all optional unless we say so).
  const { exp, sub, jti, iss, aud } = typeof payload === "object" ? payload : {};
  if (typeof exp !== "number" || typeof sub !== "string" || typeof jti !== "string") {
    trace.add("verify_token", "claims checked", "fail", "exp, sub and jti are required");
    throw invalidToken();
  }
  // #endregion
  // #region expired
  // Signature, `iss`, `aud` and `nbf` have passed, so a token past its `exp` (and the clock
  // tolerance) has age as its only fault. It alone earns `token_expired`, the answer that tells
  // the client to refresh; any other fault got `unauthenticated` above.
  const expiresAt = new Date(exp * 1000).toISOString();
  if (exp <= nowSeconds - clockToleranceSeconds) {
    trace.add("verify_token", "claims checked", "fail", `exp ${expiresAt} has passed`);
    throw expiredToken();
  }
  const detail = `iss ${iss}, aud ${aud}, exp ${expiresAt}, sub ${sub}`;
  trace.add("verify_token", "claims checked", "ok", detail);
  return { sub, jti, exp };
  // #endregion
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

// #region bearer-header
/** RFC 6750 §2.1: `Bearer` (any case), one space, then the token's base64url characters. */
const bearerPattern = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
/** The token in `Authorization: Bearer <token>`; a request without one gets the challenge. */
function readBearerToken(req: Request, trace: Trace): string {
  // Only the header counts: a token in a query string ends up in logs and Referer headers, and
  // one in a cookie would bring CSRF back (OWASP JWT, "Token Sidejacking" and storage advice).
  const token = bearerPattern.exec(req.get("authorization") ?? "")?.[1];
  if (!token) {
    trace.add("send_header", "Authorization header read", "fail", "no Bearer token");
    throw missingToken();
  }
  const length = `${token.length} characters`;
  trace.add("send_header", "Authorization: Bearer header parsed", "ok", length);
  return token;
}
// #endregion

// #region require-user
/** The gate before every route that needs a user: the token must verify, the user must exist. */
function requireUser(deps: AuthDeps): RequestHandler {
  return async (req, res, next) => {
    const trace = traceOf(res);
    const token = readBearerToken(req, trace);
    const claims = verifyAccessToken(token, deps, trace);
    // #endregion
    // #region denylist-check
    // Only with JWT_DENYLIST=1: a token logged out before its `exp` is refused (see logout).
    if (deps.denylist && (await deps.tokenState.isAccessTokenDenied(claims.jti, deps.now()))) {
      const jti = shortenSecret(claims.jti);
      trace.add("verify_token", "denylist checked", "fail", `jti ${jti} was logged out`);
      throw invalidToken();
    }
    // #endregion
    // #region load-user
    const user = await deps.users.findUserById(claims.sub);
    if (!user) {
      trace.add("verify_token", "user loaded", "fail", "no such user any more");
      throw invalidToken();
    }
    trace.add("verify_token", "user loaded", "ok", `user ${user.username}`);
    setCurrentUser(res, user);
    setVerifiedClaims(res, claims);
    next();
    // #endregion
  };
}

// #region refresh-token
/** Only a hash is stored: a leaked table holds no usable token. The token is 256 random bits,
 * so a fast hash suffices; slow hashing is for passwords, which people choose. */
const hashRefreshToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** A new refresh token and the record to store for it. */
function newRefreshToken(deps: AuthDeps) {
  const token = randomBytes(32).toString("base64url");
  const issuedAtMs = deps.now();
  const expiresAtMs = issuedAtMs + deps.refreshTokenTtlSeconds * 1000;
  return { token, record: { tokenHash: hashRefreshToken(token), issuedAtMs, expiresAtMs } };
}
// #endregion

// #region refresh-cookie
/** HttpOnly: no script can read it (XSS). SameSite=Strict: no other site's request carries it.
 * Path: the browser sends it to every auth route (login and me get it too, and ignore it), and
 * never to the cart routes, so they can never be fooled by it. */
function refreshCookieOptions(res: Response, deps: AuthDeps): CookieOptions {
  return {
    httpOnly: true,
    sameSite: "strict",
    secure: secureCookie(res.req, deps.isProduction), // HTTPS only, but for http://127.0.0.1 in dev
    path: `${apiPrefix.jwt}/auth`,
  };
}
// #endregion

// #region refresh-cookie-set
function setRefreshCookie(res: Response, token: string, deps: AuthDeps): void {
  res.cookie(refreshCookieName, token, {
    ...refreshCookieOptions(res, deps),
    maxAge: deps.refreshTokenTtlSeconds * 1000,
  });
  const detail = `Path=${apiPrefix.jwt}/auth; SameSite=Strict`;
  traceOf(res).add("return_token", "refresh token set in an HttpOnly cookie", "ok", detail);
}

/** Cleared with the same attributes it was set with, or the browser keeps it. */
function clearRefreshCookie(res: Response, deps: AuthDeps): void {
  res.clearCookie(refreshCookieName, refreshCookieOptions(res, deps));
}
// #endregion

// #region refresh-cookie-read
/** 32 random bytes, base64url: 43 characters that are the whole credential. */
const refreshTokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** cookie-parser turns `j:{...}` values into objects, so check that it is one of our tokens. */
function readRefreshCookie(req: Request): string | undefined {
  const value: unknown = req.cookies?.[refreshCookieName];
  return typeof value === "string" && refreshTokenPattern.test(value) ? value : undefined;
}
// #endregion

/** The refusal for any refresh token we cannot honour; the cookie goes with it. */
function refuseRefresh(res: Response, deps: AuthDeps, why: string): never {
  traceOf(res).add("verify_token", "refresh token checked", "fail", why);
  clearRefreshCookie(res, deps);
  throw new HttpError("unauthenticated", "Log in again.");
}

/** The auth routes and the gate for every other route, as `createShopApp` wants them. */
export function jwtAuth(deps: AuthDeps): { router: Router; requireUser: RequestHandler[] } {
  const gate = requireUser(deps);
  // Refresh, logout and login use the cookie, so another site's page must not start them.
  const foreignOrigin = rejectForeignOrigin({
    trustedOrigins: deps.trustedOrigins,
    traceStep: "verify_token",
  });
  const router = Router();
  router.use(cookieParser()); // only the auth routes read cookies: the refresh token's Path

  // #region login
  router.post("/login", foreignOrigin, async (req, res) => {
    const user = await checkCredentials(req, res, deps); // body, throttling, password (shared)
    const body = issueAccessToken(user, res, deps);
    // Every login starts a new refresh token family: reuse detection revokes one family, so a
    // stolen token from this device does not log the user out everywhere.
    const refresh = newRefreshToken(deps);
    await deps.tokenState.saveRefreshToken(
      { ...refresh.record, familyId: randomUUID(), userId: user.id },
      deps.now(),
    );
    setRefreshCookie(res, refresh.token, deps);
    res.json(body);
  });
  // #endregion

  // #region refresh
  router.post("/refresh", foreignOrigin, async (req, res) => {
    const presented = readRefreshCookie(req);
    if (!presented) refuseRefresh(res, deps, "no refresh token cookie");
    // Rotation (RFC 9700 §4.14.2): each refresh token works once. The store retires it and saves
    // its successor in one atomic step, so of two requests racing with one token, one wins. A
    // token used twice means a copy exists, the thief's or the user's, and no one can tell which:
    // so reuse revokes the whole family and both must log in again.
    const next = newRefreshToken(deps);
    const result = await deps.tokenState.rotateRefreshToken(
      hashRefreshToken(presented),
      next.record,
      deps.now(),
    );
    // #endregion
    // #region refresh-reuse
    if (!result.ok) {
      refuseRefresh(
        res,
        deps,
        result.reason === "reused" ? "reused: the whole family is revoked" : result.reason,
      );
    }
    const user = await deps.users.findUserById(result.userId);
    if (!user) {
      await deps.tokenState.revokeFamily(result.familyId);
      refuseRefresh(res, deps, "no such user any more");
    }
    // #endregion
    // #region refresh-answer
    const family = shortenSecret(result.familyId);
    traceOf(res).add("verify_token", "refresh token rotated", "ok", `family ${family}`);
    const body = issueAccessToken(user, res, deps);
    setRefreshCookie(res, next.token, deps);
    res.json(body);
    // #endregion
  });

  // #region logout
  // POST only: a GET could be triggered by an <img> on any page.
  router.post("/logout", foreignOrigin, gate, async (req, res) => {
    const trace = traceOf(res);
    const presented = readRefreshCookie(req);
    const record =
      presented && (await deps.tokenState.findRefreshToken(hashRefreshToken(presented)));
    if (record && record.userId === currentUser(res).id) {
      await deps.tokenState.revokeFamily(record.familyId);
      const family = shortenSecret(record.familyId);
      trace.add("clear_token", "refresh token family revoked", "ok", `family ${family}`);
    }
    clearRefreshCookie(res, deps);
    // #endregion
    // #region logout-access-token
    // The access token itself is still valid: nothing on the server can take back a signed token.
    // Either wait out its `exp` (the default, and the honest cost of statelessness) or keep its
    // `jti` on a denylist until then, which brings back a lookup per request (OWASP JWT, "Token
    // Explicit Revocation by the User").
    const { jti, exp } = verifiedClaimsOf(res);
    if (deps.denylist) {
      // Until `exp` plus the clock tolerance: verification accepts the token that long, too.
      const expiresAtMs = (exp + clockToleranceSeconds) * 1000;
      await deps.tokenState.denyAccessToken({ jti, expiresAtMs }, deps.now());
      const detail = `jti ${shortenSecret(jti)} until ${new Date(expiresAtMs).toISOString()}`;
      trace.add("clear_token", "access token denylisted", "ok", detail);
    } else {
      const step = "access token still valid until exp: the client must drop it";
      trace.add("clear_token", step, "info", `exp ${new Date(exp * 1000).toISOString()}`);
    }
    // #endregion
    res.status(204).end();
  });

  // #region me
  router.get("/me", gate, (_req, res) => {
    const body: JwtMeResponse = { user: currentUser(res) };
    res.json(body);
  });
  // #endregion

  return { router, requireUser: [gate] };
}
