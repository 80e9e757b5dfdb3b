// The keys that sign and verify access tokens: built once at start from config, then only read.
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from "node:crypto";
import { ConfigError, isWeakSecret, minSecretBytes } from "@repo/shop";

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
