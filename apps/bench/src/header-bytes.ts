// Bytes each mode adds to a request and to a response, read off real requests and answers.
import { request } from "node:http";
import type { Credentials } from "./clients";
import type { BytesRow, HeaderBytes } from "./report";

/** `Name: value\r\n`, as the header travels in HTTP/1.1. */
export function headerLineBytes(name: string, value: string): number {
  return Buffer.byteLength(`${name}: ${value}\r\n`);
}

/** The usual spelling of a header name, for the table (`x-csrf-token` -> `X-CSRF-Token`). */
function displayName(name: string): string {
  const special: Record<string, string> = { "x-csrf-token": "X-CSRF-Token" };
  return (
    special[name] ??
    name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())
  );
}

/** The header lines a request sends for `headers`, named and counted. */
export function requestHeaderBytes(headers: Record<string, string>): HeaderBytes[] {
  return Object.entries(headers).map(([name, value]) => ({
    name: displayName(name),
    bytes: headerLineBytes(name, value),
  }));
}

/** The lines of `response` whose header names `baseline` has none of, counted; `Date` and the like are in both. */
export function addedHeaders(response: string[], baseline: string[]): HeaderBytes[] {
  const baselineNames = new Set<string>();
  for (let i = 0; i < baseline.length; i += 2) baselineNames.add((baseline[i] ?? "").toLowerCase());
  const added = new Map<string, number>();
  for (let i = 0; i < response.length; i += 2) {
    const name = response[i] ?? "";
    if (baselineNames.has(name.toLowerCase())) continue;
    const key = displayName(name.toLowerCase());
    added.set(key, (added.get(key) ?? 0) + headerLineBytes(name, response[i + 1] ?? ""));
  }
  return [...added].map(([name, bytes]) => ({ name, bytes }));
}

interface RawAnswer {
  status: number;
  rawHeaders: string[];
  body: Buffer;
}

/** A GET with node:http, which keeps the headers exactly as they came. */
function rawGet(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Compares the mode's `GET P/cart` with the baseline's, which must give the same body. */
export async function measureBytes(
  mode: string,
  target: { origin: string; prefix: string; credentials: Credentials },
  baseline: { origin: string; prefix: string },
): Promise<BytesRow> {
  const ours = await rawGet(`${target.origin}${target.prefix}/cart`, target.credentials.read);
  const theirs = await rawGet(`${baseline.origin}${baseline.prefix}/cart`, {});
  if (ours.status !== 200 || theirs.status !== 200) {
    throw new Error(`GET cart answered ${ours.status} (${mode}) and ${theirs.status} (baseline)`);
  }
  // Same user, same store: the same cart. If not, the header comparison would mislead.
  if (!ours.body.equals(theirs.body))
    throw new Error(`${mode} and the baseline sent different carts`);
  const { credentials } = target;
  return {
    mode,
    requestRead: requestHeaderBytes(credentials.read),
    requestWrite: requestHeaderBytes(credentials.write),
    response: addedHeaders(ours.rawHeaders, theirs.rawHeaders),
    loginCookies: credentials.loginCookies.map((line) => ({
      name: "Set-Cookie",
      bytes: headerLineBytes("Set-Cookie", line),
    })),
    loginBodyCredentialBytes: Buffer.byteLength(JSON.stringify(credentials.loginBodyCredentials)),
  };
}
