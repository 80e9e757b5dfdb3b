// Logging in as the demo user once per mode, and the headers that then prove who is asking.
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

/** `POST P/auth/login` as the demo user; throws unless it answers 200. */
export async function logIn(origin: string, prefix: string): Promise<Response> {
  const response = await fetch(`${origin}${prefix}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(demoAccount),
  });
  if (response.status !== 200) {
    throw new Error(`login at ${prefix} answered ${response.status}: ${await response.text()}`);
  }
  return response;
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
