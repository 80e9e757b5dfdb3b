// Logging in as the demo user once per mode, and the headers that then prove who is asking.
import { request } from "node:http";
import { csrfHeaderName, demoUsers, sessionCookieName } from "@repo/contract";

export interface Credentials {
  /** Headers that prove who is asking on a read (`GET P/cart`). */
  read: Record<string, string>;
  /** ...and on a write, which in session mode also needs the CSRF token. */
  write: Record<string, string>;
  /** The `Set-Cookie` lines of the login answer, as sent. */
  loginCookies: string[];
  /** The credential fields of the login body, for counting their bytes. */
  loginBodyCredentials: Record<string, unknown>;
}

const alice = demoUsers[0] ?? { username: "alice", password: "wonderland42" };
export const demoAccount = { username: alice.username, password: alice.password };

export interface Account {
  username: string;
  password: string;
}

const retryWindowMs = 60_000;
const retryDelayMs = 300;

/**
 * `POST P/auth/login` as the demo user; throws unless it answers 200. The login throttle
 * counts an attempt before it checks the password and gives it back when it was right, so
 * several servers logging the same user in at once may see a 429 that a moment's wait ends.
 */
export async function logIn(origin: string, prefix: string): Promise<Response> {
  const deadline = Date.now() + retryWindowMs;
  for (;;) {
    const response = await fetch(`${origin}${prefix}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(demoAccount),
    });
    if (response.status === 200) return response;
    const body = await response.text();
    if (response.status !== 429 || Date.now() > deadline) {
      throw new Error(`login at ${prefix} answered ${response.status}: ${body}`);
    }
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
  }
}

/**
 * `POST P/auth/login` as `account` from the loopback address `localAddress` (any of
 * 127.0.0.0/8 reaches a server on 127.0.0.1), so that many logins look like many shoppers to
 * a server that limits logins per address. Resolves to the status.
 */
export function logInFrom(
  origin: string,
  prefix: string,
  account: Account,
  localAddress: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${origin}${prefix}/auth/login`,
      { method: "POST", headers: { "content-type": "application/json" }, localAddress },
      (res) => {
        res.resume(); // the body is not needed, only read to the end
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(account));
  });
}

/** Logs in once and returns the headers each later request carries. */
export async function credentialsFor(
  family: "session" | "jwt" | "baseline",
  origin: string,
  prefix: string,
): Promise<Credentials> {
  if (family === "baseline")
    return { read: {}, write: {}, loginCookies: [], loginBodyCredentials: {} };
  const response = await logIn(origin, prefix);
  const loginCookies = response.headers.getSetCookie();
  const body = (await response.json()) as Record<string, unknown>;
  if (family === "jwt") {
    const { accessToken, tokenType, expiresIn } = body;
    if (typeof accessToken !== "string") throw new Error("JWT login without an accessToken");
    const read = { authorization: `Bearer ${accessToken}` };
    return {
      read,
      write: read,
      loginCookies,
      loginBodyCredentials: { accessToken, tokenType, expiresIn },
    };
  }
  const { csrfToken } = body;
  if (typeof csrfToken !== "string") throw new Error("session login without a csrfToken");
  // The browser sends back only `name=value`, never the attributes after the first `;`.
  const sid = loginCookies.find((line) => line.startsWith(`${sessionCookieName}=`))?.split(";")[0];
  if (!sid) throw new Error(`session login without a ${sessionCookieName} cookie`);
  const read = { cookie: sid };
  return {
    read,
    write: { ...read, [csrfHeaderName]: csrfToken },
    loginCookies,
    loginBodyCredentials: { csrfToken },
  };
}
