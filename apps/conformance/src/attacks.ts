import { cartSchema } from "@repo/contract";
import type { Env } from "@repo/shop";
import { accountRows } from "./account-attacks";
import { authorizationRows } from "./authorization-attacks";
import { aliceAccount, bobAccount, firstProductId } from "./demo-data";
import type { Driver } from "./driver";
import { errorCode, type Reply } from "./http";

/**
 * The backends the table compares: the JWT backend three times, as configured by default, with
 * its denylist (JWT_DENYLIST=1), and with the per-user cut-off (JWT_USER_CUTOFF=1).
 */
export const columns = ["session", "jwt", "jwt-denylist", "jwt-cutoff"] as const;
export type Column = (typeof columns)[number];
export const columnTitles: Record<Column, string> = {
  session: "session",
  jwt: "JWT",
  "jwt-denylist": "JWT + denylist",
  "jwt-cutoff": "JWT + cut-off",
};

/** What a row's attack may use: drivers on one fresh backend, and a way to restart it. */
export interface AttackContext {
  /** The backend's own origin, for a request no driver can make. */
  origin: string;
  newDriver(): Driver;
  restart(): Promise<void>;
}

export interface AttackRow {
  id: string;
  /** What the attacker (or the unlucky user) does, in one line. */
  attack: string;
  run(context: AttackContext): Promise<string>;
  /** The one mode-specific part of a row: what each backend is expected to do. */
  expected: Record<Column, string>;
  /** Settings this row's backend starts with, beside its column's (a short lifetime, production). */
  env?: Env;
}

/** "401 unauthenticated", "204", …: a status and, for errors, the contract's code. */
export function outcome(reply: Reply): string {
  const code = errorCode(reply);
  return code ? `${reply.status} ${code}` : String(reply.status);
}

const sameForAll = (expected: string): Record<Column, string> => ({
  session: expected,
  jwt: expected,
  "jwt-denylist": expected,
  "jwt-cutoff": expected,
});

async function quantityOf(driver: Driver, productId = firstProductId): Promise<number> {
  const cart = cartSchema.parse((await driver.authed("GET", "/cart")).body);
  return cart.items.find((line) => line.productId === productId)?.quantity ?? 0;
}

async function loggedIn(context: AttackContext, account = aliceAccount) {
  const driver = context.newDriver();
  const reply = await driver.login(account.username, account.password);
  if (reply.status !== 200) {
    throw new Error(`login as ${account.username} failed: ${outcome(reply)}`);
  }
  return driver;
}

/** Sends a bad request as a logged-in user and reports the answer and whether the cart moved. */
function badInput(
  id: string,
  attack: string,
  send: (driver: Driver) => Promise<Reply>,
  expected: string,
): AttackRow {
  return {
    id,
    attack,
    expected: sameForAll(expected),
    async run(context) {
      const alice = await loggedIn(context);
      await alice.authed("POST", "/cart/items", {
        body: { productId: firstProductId, quantity: 3 },
      });
      const reply = await send(alice);
      const unchanged = (await quantityOf(alice)) === 3;
      return `${outcome(reply)}${unchanged ? ", cart unchanged" : ", CART CHANGED"}`;
    },
  };
}

export const attackRows: AttackRow[] = [
  {
    id: "no-credential",
    attack: "Read the cart without logging in",
    expected: sameForAll("401 unauthenticated"),
    run: async (context) => outcome(await context.newDriver().authed("GET", "/cart")),
  },
  {
    id: "replay-after-logout",
    attack: "Copy the credential, log out, then replay the copy",
    // The cut-off moves at a role change, a disabling, a new password or "log out everywhere":
    // an ordinary logout leaves it, so without the denylist the copy still works.
    expected: {
      session: "401 unauthenticated",
      jwt: "200",
      "jwt-denylist": "401 unauthenticated",
      "jwt-cutoff": "200",
    },
    async run(context) {
      const alice = await loggedIn(context);
      const stolen = alice.steal();
      await alice.logout();
      return outcome(await alice.replay(stolen, "GET", "/cart"));
    },
  },
  {
    id: "replay-while-logged-in",
    attack: "Replay a stolen credential while its owner is still logged in",
    expected: sameForAll("200"),
    async run(context) {
      const alice = await loggedIn(context);
      return outcome(await alice.replay(alice.steal(), "GET", "/cart"));
    },
  },
  {
    id: "tampered",
    attack: "Change one character of the credential",
    expected: sameForAll("401 unauthenticated"),
    async run(context) {
      const alice = await loggedIn(context);
      return outcome(await alice.replay(alice.tamper(alice.steal()), "GET", "/cart"));
    },
  },
  {
    id: "other-user",
    attack: "Use bob's credential for a cart write while alice is logged in",
    expected: sameForAll("200, bob's cart changed, alice's not"),
    async run(context) {
      const alice = await loggedIn(context);
      const bob = await loggedIn(context, bobAccount);
      const reply = await bob.replay(bob.steal(), "POST", "/cart/items", {
        body: { productId: firstProductId, quantity: 1 },
      });
      const bobChanged = (await quantityOf(bob)) === 1;
      const aliceChanged = (await quantityOf(alice)) !== 0;
      return `${outcome(reply)}, bob's cart ${bobChanged ? "changed" : "unchanged"}, alice's ${aliceChanged ? "changed" : "not"}`;
    },
  },
  {
    id: "cross-site",
    attack: "A page on another site posts to the cart with what the browser attaches",
    expected: {
      session: "403 csrf, cart unchanged",
      jwt: "401 unauthenticated, cart unchanged",
      "jwt-denylist": "401 unauthenticated, cart unchanged",
      "jwt-cutoff": "401 unauthenticated, cart unchanged",
    },
    async run(context) {
      const alice = await loggedIn(context);
      const reply = await alice.crossSite("POST", "/cart/items", {
        body: { productId: firstProductId, quantity: 1 },
      });
      return `${outcome(reply)}, cart ${(await quantityOf(alice)) === 0 ? "unchanged" : "CHANGED"}`;
    },
  },
  {
    id: "forgotten",
    attack: "The client drops its credential (closed tab, cleared storage)",
    expected: sameForAll("401 unauthenticated"),
    async run(context) {
      const alice = await loggedIn(context);
      alice.forget();
      return outcome(await alice.authed("GET", "/cart"));
    },
  },
  {
    id: "restart",
    attack: "Restart the server, then use the same credential",
    expected: sameForAll("200"),
    async run(context) {
      const alice = await loggedIn(context);
      await context.restart();
      return outcome(await alice.authed("GET", "/cart"));
    },
  },
  {
    id: "get-logout",
    attack: "Log out with GET (an image tag on another page could do that)",
    expected: sameForAll("404 not_found, still logged in"),
    async run(context) {
      const alice = await loggedIn(context);
      const reply = await alice.authed("GET", "/auth/logout");
      const still = (await alice.authed("GET", "/cart")).status === 200;
      return `${outcome(reply)}, ${still ? "still logged in" : "LOGGED OUT"}`;
    },
  },
  {
    id: "concurrent-adds",
    attack: "50 concurrent requests each add 1 of the same product",
    expected: sameForAll("50 of 50 kept"),
    async run(context) {
      const alice = await loggedIn(context);
      await Promise.all(
        Array.from({ length: 50 }, () =>
          alice.authed("POST", "/cart/items", { body: { productId: firstProductId, quantity: 1 } }),
        ),
      );
      return `${await quantityOf(alice)} of 50 kept`;
    },
  },
  {
    id: "brute-force",
    attack: "Five wrong passwords, then the right one",
    expected: sameForAll("429 rate_limited, Retry-After set"),
    async run(context) {
      const driver = context.newDriver();
      for (let i = 0; i < 5; i++) await driver.login(aliceAccount.username, `guess-${i}`);
      const reply = await driver.login(aliceAccount.username, aliceAccount.password);
      return `${outcome(reply)}, Retry-After ${reply.headers.get("retry-after") ? "set" : "missing"}`;
    },
  },
  {
    id: "unknown-user",
    attack: "Log in as a user who does not exist",
    expected: sameForAll("401 invalid_credentials"),
    run: async (context) =>
      outcome(await context.newDriver().login("mallory", aliceAccount.password)),
  },
  badInput(
    "malformed-json",
    "Send malformed JSON",
    (d) =>
      d.authed("POST", "/cart/items", {
        rawBody: '{"productId":',
        headers: { "content-type": "application/json" },
      }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "form-body",
    "Send a form body instead of JSON",
    (d) =>
      d.authed("POST", "/cart/items", {
        rawBody: `productId=${firstProductId}&quantity=1`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
    "415 unsupported_media_type, cart unchanged",
  ),
  badInput(
    "text-body",
    "Send the JSON as text/plain (what a cross-site form can do)",
    (d) =>
      d.authed("POST", "/cart/items", {
        rawBody: `{"productId":"${firstProductId}","quantity":1}`,
        headers: { "content-type": "text/plain" },
      }),
    "415 unsupported_media_type, cart unchanged",
  ),
  badInput(
    "array-body",
    "Send `[]` as the body",
    (d) => d.authed("POST", "/cart/items", { body: [] }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "null-body",
    "Send `null` as the body",
    (d) =>
      d.authed("POST", "/cart/items", {
        rawBody: "null",
        headers: { "content-type": "application/json" },
      }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "oversize",
    "Send a 17 KiB body",
    (d) =>
      d.authed("POST", "/cart/items", {
        body: { productId: firstProductId, quantity: 1, padding: "x".repeat(17 * 1024) },
      }),
    "413 payload_too_large, cart unchanged",
  ),
  badInput(
    "prototype-keys",
    "Smuggle a `__proto__` key into the body",
    (d) =>
      d.authed("POST", "/cart/items", {
        rawBody: `{"productId":"${firstProductId}","quantity":1,"__proto__":{"admin":true}}`,
        headers: { "content-type": "application/json" },
      }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "fractional-quantity",
    "Add 1.5 of a product",
    (d) => d.authed("POST", "/cart/items", { body: { productId: firstProductId, quantity: 1.5 } }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "string-quantity",
    'Add "1" (a string) of a product',
    (d) => d.authed("POST", "/cart/items", { body: { productId: firstProductId, quantity: "1" } }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "zero-quantity",
    "Add 0 of a product",
    (d) => d.authed("POST", "/cart/items", { body: { productId: firstProductId, quantity: 0 } }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "negative-quantity",
    "Set a line to -1",
    (d) => d.authed("PATCH", `/cart/items/${firstProductId}`, { body: { quantity: -1 } }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "huge-quantity",
    "Add 1e309 (Infinity once parsed) of a product",
    (d) =>
      d.authed("POST", "/cart/items", {
        rawBody: `{"productId":"${firstProductId}","quantity":1e309}`,
        headers: { "content-type": "application/json" },
      }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "out-of-range-set",
    "Set a line to 100",
    (d) => d.authed("PATCH", `/cart/items/${firstProductId}`, { body: { quantity: 100 } }),
    "400 invalid_request, cart unchanged",
  ),
  badInput(
    "past-the-cap",
    "Add 97 to a line of 3 (past 99)",
    (d) => d.authed("POST", "/cart/items", { body: { productId: firstProductId, quantity: 97 } }),
    "409 quantity_limit, cart unchanged",
  ),
  badInput(
    "unknown-product",
    "Add a product that does not exist",
    (d) => d.authed("POST", "/cart/items", { body: { productId: "no-such-product", quantity: 1 } }),
    "404 not_found, cart unchanged",
  ),
  badInput(
    "unknown-route",
    "Call a route that does not exist",
    (d) => d.authed("POST", "/cart/checkout", { body: {} }),
    "404 not_found, cart unchanged",
  ),
  ...authorizationRows,
  ...accountRows,
];
