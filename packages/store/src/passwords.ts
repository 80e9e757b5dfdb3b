import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt's cost parameters: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP Password Storage Cheat Sheet, "scrypt": N=2^17, r=8, p=1. A hash takes 128 MiB and,
 * on a shared 2-core machine, 0.3-0.6 s (`npm run bench`: a login alone, in its login storm).
 */
export const owaspScryptParams: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

/** 1/128 of the OWASP work, so test suites stay fast. Never use it outside tests. */
export const insecureFastScryptParamsForTests: ScryptParams = Object.freeze({
  N: 2 ** 10,
  r: 8,
  p: 1,
});

const saltBytes = 16;
const keyBytes = 32;
const storedHashPattern =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Hashes a password with a fresh salt into `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64, no padding). */
export async function hashPassword(
  password: string,
  params: ScryptParams = owaspScryptParams,
): Promise<string> {
  assertSupportedParams(params);
  const salt = randomBytes(saltBytes);
  const key = await deriveKey(password, salt, keyBytes, params);
  return formatStoredHash(params, salt, key);
}

/** A well-formed stored hash no password matches (its key is random), for unknown users. */
export function unmatchablePasswordHash(params: ScryptParams = owaspScryptParams): string {
  assertSupportedParams(params);
  return formatStoredHash(params, randomBytes(saltBytes), randomBytes(keyBytes));
}

/** Whether `password` matches a stored hash; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  const key = await deriveKey(password, parsed.salt, parsed.key.length, parsed.params);
  // Compare in constant time, so the time taken says nothing about how many bytes matched.
  return timingSafeEqual(key, parsed.key);
}

/** The parameters a stored hash was made with, or undefined if it is not one of ours. */
export function parsePasswordHash(stored: string): ScryptParams | undefined {
  return parseStoredHash(stored)?.params;
}

/** Whether a stored hash should be redone at the next successful login: weaker than `params` or unreadable. */
export function needsRehash(stored: string, params: ScryptParams = owaspScryptParams): boolean {
  const current = parsePasswordHash(stored);
  return !current || current.N < params.N || current.r < params.r || current.p < params.p;
}

// internals

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseStoredHash(stored: string): ParsedHash | undefined {
  if (typeof stored !== "string") return undefined;
  const match = storedHashPattern.exec(stored);
  if (!match) return undefined;
  const [, ln, r, p, salt, key] = match;
  const params = { N: 2 ** Number(ln), r: Number(r), p: Number(p) };
  if (!isSupported(params) || !salt || !key) return undefined;
  const parsed = { params, salt: fromBase64(salt), key: fromBase64(key) };
  if (parsed.salt.length < 8 || parsed.key.length < 16 || parsed.key.length > 64) return undefined;
  return parsed;
}

// Fixed bounds, never derived from the stored string, so a corrupt or hostile one cannot make a
// verification ask for gigabytes: scrypt's table takes 128*N*r bytes, here at most 256 MiB (twice
// OWASP's 128 MiB), and p, which multiplies the time, at most 4.
const maxTableBytes = 256 * 1024 * 1024;
const maxBlockSize = 32;
const maxParallelism = 4;
// OpenSSL counts the table, two more blocks of 128*r bytes and p blocks against maxmem.
const maxmemBytes = maxTableBytes + 128 * maxBlockSize * (2 + maxParallelism);

function isSupported({ N, r, p }: ScryptParams): boolean {
  const ln = Math.log2(N);
  return (
    Number.isInteger(ln) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    ln >= 1 &&
    ln < 16 * r && // scrypt's own rule, N < 2^(16r); OpenSSL refuses anything else
    r >= 1 &&
    r <= maxBlockSize &&
    p >= 1 &&
    p <= maxParallelism &&
    128 * N * r <= maxTableBytes
  );
}

function assertSupportedParams(params: ScryptParams): void {
  if (!isSupported(params)) throw new RangeError("unsupported scrypt parameters");
}

function formatStoredHash({ N, r, p }: ScryptParams, salt: Buffer, key: Buffer): string {
  return `$scrypt$ln=${Math.log2(N)},r=${r},p=${p}$${toBase64(salt)}$${toBase64(key)}`;
}

function deriveKey(password: string, salt: Buffer, length: number, params: ScryptParams) {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: maxmemBytes,
  };
  // NIST SP 800-63B 5.1.1.2: normalise (NFKC), so one password typed two ways still matches.
  // Async scrypt runs on libuv's thread pool, off the event loop.
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const toBase64 = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "");
const fromBase64 = (text: string) => Buffer.from(text, "base64");
