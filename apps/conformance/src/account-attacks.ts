import { request as httpRequest } from "node:http";
import type { AttackContext, AttackRow, Column } from "./attacks";
import { aliceAccount, bobAccount } from "./demo-data";
import type { Driver } from "./driver";
import { errorCode, type Reply } from "./http";

// The rows about a login's whole life: accounts (sign-up, password change, log out everywhere),
// refresh tokens, logout, the transport and the demo state. Only types come from attacks.ts,
// which lists these rows after its own.

const outcome = (reply: Reply) => {
  const code = errorCode(reply);
  return code ? `${reply.status} ${code}` : String(reply.status);
};

const sameForAll = (expected: string): Record<Column, string> => ({
  session: expected,
  jwt: expected,
  "jwt-denylist": expected,
  "jwt-cutoff": expected,
});

async function loggedIn(context: AttackContext, account = aliceAccount): Promise<Driver> {
  const driver = context.newDriver();
  const reply = await driver.login(account.username, account.password);
  if (reply.status !== 200) throw new Error(`login as ${account.username} failed`);
  return driver;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the client does to stay logged in without a password: JWT, a refresh; session mode has
 * nothing like it, and asks who it is (`GET /auth/me`, as a reloaded page does).
 */
const renew = (driver: Driver) =>
  driver.refresh ? driver.refresh() : driver.authed("GET", "/auth/me");

/** The other device's view after the user acted elsewhere: its cart, then (JWT) a refresh. */
async function otherDevice(device: Driver): Promise<string> {
  const cart = outcome(await device.authed("GET", "/cart"));
  if (!device.refresh) return cart;
  return `${cart}; refresh: ${outcome(await device.refresh())}`;
}

/** A GET with the given header lines, two Authorization headers among them: fetch cannot. */
function sendWithHeaderLines(url: string, lines: [string, string | string[]][]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "GET" }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (typeof value === "string") headers.set(name, value);
        }
        const json = response.headers["content-type"]?.startsWith("application/json");
        resolve({
          status: response.statusCode ?? 0,
          headers,
          body: json ? JSON.parse(text) : text,
        });
      });
    });
    request.on("error", reject);
    // An array value is sent as one header line per element.
    for (const [name, value] of lines) request.setHeader(name, value);
    request.end();
  });
}

/** A new password for alice that passes the policy. */
const newPassword = "a brand new passphrase";

export const accountRows: AttackRow[] = [
  {
    id: "refresh-reuse",
    attack:
      "A copy of the refresh cookie is used after its owner refreshed; then the owner refreshes",
    expected: {
      session: "no refresh token",
      jwt: "copy 401 unauthenticated, owner 401 unauthenticated",
      "jwt-denylist": "copy 401 unauthenticated, owner 401 unauthenticated",
      "jwt-cutoff": "copy 401 unauthenticated, owner 401 unauthenticated",
    },
    async run(context) {
      const alice = await loggedIn(context);
      const copy = await alice.reopen(); // the same cookies, as a thief's copy holds them
      if (!alice.refresh || !copy.refresh) return "no refresh token";
      if ((await alice.refresh()).status !== 200) throw new Error("the owner cannot refresh");
      const stolen = outcome(await copy.refresh());
      return `copy ${stolen}, owner ${outcome(await alice.refresh())}`;
    },
  },
  {
    id: "absolute-lifetime",
    attack: "Keep a login busy (renewing every second) past its absolute lifetime (4 s here)",
    env: {
      SESSION_IDLE_TIMEOUT_SECONDS: "3",
      SESSION_ABSOLUTE_TIMEOUT_SECONDS: "4",
      REFRESH_TOKEN_TTL_SECONDS: "3",
      REFRESH_ABSOLUTE_TIMEOUT_SECONDS: "4",
    },
    expected: sameForAll("renewed: 200, 200; after 4 s: 401 unauthenticated"),
    async run(context) {
      const loginAt = Date.now();
      const alice = await loggedIn(context);
      const renewals: string[] = [];
      for (const second of [1, 2]) {
        await sleep(loginAt + second * 1000 - Date.now());
        renewals.push(outcome(await renew(alice)));
      }
      await sleep(loginAt + 4300 - Date.now());
      return `renewed: ${renewals.join(", ")}; after 4 s: ${outcome(await renew(alice))}`;
    },
  },
  {
    id: "logout-with-cookie-only",
    attack: "Log out with only what the browser attaches (the page lost its token), then renew",
    expected: {
      session: "403 csrf, still in: 200",
      jwt: "204, refresh: 401 unauthenticated",
      "jwt-denylist": "204, refresh: 401 unauthenticated",
      "jwt-cutoff": "204, refresh: 401 unauthenticated",
    },
    async run(context) {
      const alice = await loggedIn(context);
      const logout = outcome(await alice.anonymous("POST", "/auth/logout"));
      const after = outcome(await renew(alice));
      return alice.refresh ? `${logout}, refresh: ${after}` : `${logout}, still in: ${after}`;
    },
  },
  {
    id: "two-authorization-headers",
    attack: "Send two Authorization headers, the owner's token and another one",
    expected: {
      session: "200 (the header is not read)",
      jwt: "400 invalid_request",
      "jwt-denylist": "400 invalid_request",
      "jwt-cutoff": "400 invalid_request",
    },
    async run(context) {
      const alice = await loggedIn(context);
      const bob = await loggedIn(context, bobAccount);
      const { accessToken, cookie } = alice.steal();
      const other = bob.steal().accessToken ?? "not-a-token";
      const lines: [string, string | string[]][] = [
        ["authorization", [`Bearer ${accessToken ?? "not-a-token"}`, `Bearer ${other}`]],
      ];
      if (cookie) lines.push(["cookie", `sid=${cookie}`]);
      const reply = await sendWithHeaderLines(`${context.origin}${alice.prefix}/cart`, lines);
      return reply.status === 200 && !accessToken ? "200 (the header is not read)" : outcome(reply);
    },
  },
  {
    id: "clear-site-data",
    attack: "Log out: is the browser told to drop the site's cookies?",
    expected: sameForAll('204, Clear-Site-Data "cookies"'),
    async run(context) {
      const reply = await (await loggedIn(context)).logout();
      return `${outcome(reply)}, Clear-Site-Data ${reply.headers.get("clear-site-data") ?? "missing"}`;
    },
  },
  {
    id: "https-required",
    attack: "Log in over plain HTTP to a production server, whose cookies are Secure",
    env: { NODE_ENV: "production" },
    expected: sameForAll("403 https_required, no cookie"),
    async run(context) {
      const reply = await context.newDriver().login(aliceAccount.username, aliceAccount.password);
      const cookie = reply.headers.getSetCookie().length > 0 ? "A COOKIE" : "no cookie";
      return `${outcome(reply)}, ${cookie}`;
    },
  },
  {
    id: "demo-state-anonymous",
    attack: "A page on the room's network reads the demo state while alice is logged in",
    expected: sameForAll("200, nobody named, 1 counted"),
    async run(context) {
      await loggedIn(context);
      const reply = await context.newDriver().anonymous("GET", "/demo/state");
      const body = reply.body as { otherSessions?: number; otherRefreshTokens?: number };
      const named = JSON.stringify(body).includes(aliceAccount.username)
        ? "ALICE NAMED"
        : "nobody named";
      return `${outcome(reply)}, ${named}, ${body.otherSessions ?? body.otherRefreshTokens} counted`;
    },
  },
  {
    id: "signup",
    attack: "Sign up as ALICE, then with a common password, then properly",
    expected: sameForAll("409 username_taken, 400 invalid_request, 201"),
    async run(context) {
      const driver = context.newDriver();
      const signUp = (username: string, password: string) =>
        driver.anonymous("POST", "/auth/signup", {
          body: { username, password, displayName: "Carol" },
        });
      const replies = [
        await signUp("ALICE", "tangerine dream"),
        await signUp("carol", "password123"),
        await signUp("carol", "tangerine dream"),
      ];
      return replies.map(outcome).join(", ");
    },
  },
  {
    id: "password-change",
    attack: "alice changes her password; her other device uses what it holds (then refreshes)",
    expected: {
      session: "changer 200, other device 401 unauthenticated",
      jwt: "changer 200, other device 200; refresh: 401 unauthenticated",
      "jwt-denylist": "changer 200, other device 200; refresh: 401 unauthenticated",
      "jwt-cutoff": "changer 200, other device 401 unauthenticated; refresh: 401 unauthenticated",
    },
    async run(context) {
      const laptop = await loggedIn(context);
      const phone = await loggedIn(context);
      const change = await laptop.authed("POST", "/auth/password", {
        body: { currentPassword: aliceAccount.password, newPassword },
      });
      if (change.status !== 200) throw new Error(`the password change failed: ${outcome(change)}`);
      laptop.keep(change);
      const changer = outcome(await laptop.authed("GET", "/cart"));
      return `changer ${changer}, other device ${await otherDevice(phone)}`;
    },
  },
  {
    id: "logout-everywhere",
    attack: "alice logs out everywhere; her other device uses what it holds (then refreshes)",
    expected: {
      session: "204, other device 401 unauthenticated",
      jwt: "204, other device 200; refresh: 401 unauthenticated",
      "jwt-denylist": "204, other device 200; refresh: 401 unauthenticated",
      "jwt-cutoff": "204, other device 401 unauthenticated; refresh: 401 unauthenticated",
    },
    async run(context) {
      const laptop = await loggedIn(context);
      const phone = await loggedIn(context);
      const reply = await laptop.authed("POST", "/auth/logout-everywhere");
      return `${outcome(reply)}, other device ${await otherDevice(phone)}`;
    },
  },
];
