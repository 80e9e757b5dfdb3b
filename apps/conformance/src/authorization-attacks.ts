import { adminUsersResponseSchema, cartSchema, type Role } from "@repo/contract";
import type { AttackContext, AttackRow } from "./attacks";
import { aliceAccount, bobAccount, firstProductId, samAccount } from "./demo-data";
import type { Driver } from "./driver";
import { errorCode, type Reply } from "./http";

// The authorization rows: what each backend does with a role, a demotion and a disabled
// account. Only types come from attacks.ts, which lists these rows after its own.

const outcome = (reply: Reply) => {
  const code = errorCode(reply);
  return code ? `${reply.status} ${code}` : String(reply.status);
};

async function loggedIn(context: AttackContext, account: { username: string; password: string }) {
  const driver = context.newDriver();
  const reply = await driver.login(account.username, account.password);
  if (reply.status !== 200) throw new Error(`login as ${account.username} failed`);
  return driver;
}

/** The staff member sam, and a way for him to change bob's account through the staff API. */
async function samAgainst(context: AttackContext) {
  const sam = await loggedIn(context, samAccount);
  const users = adminUsersResponseSchema.parse((await sam.authed("GET", "/admin/users")).body);
  const bobId = users.users.find((user) => user.username === bobAccount.username)?.id;
  if (!bobId) throw new Error("bob is not in the staff list");
  return {
    async changeBob(change: { role?: Role; disabled?: boolean }) {
      const reply = await sam.authed("PATCH", `/admin/users/${bobId}`, { body: change });
      if (reply.status !== 200) throw new Error(`sam could not change bob: ${outcome(reply)}`);
    },
  };
}

/** The JWT client's next move after a refusal: a refresh (no-op in session mode). */
async function afterRefresh(driver: Driver, then: () => Promise<Reply>): Promise<string> {
  if (!driver.refresh) return "";
  const refreshed = await driver.refresh();
  if (refreshed.status !== 200) return `; refresh: ${outcome(refreshed)}`;
  return `; refreshed: ${outcome(await then())}`;
}

export const authorizationRows: AttackRow[] = [
  {
    id: "customer-staff-route",
    attack: "A customer calls the staff routes (list users, all carts, promote herself)",
    expected: {
      session: "403 forbidden, 403 forbidden, 403 forbidden",
      jwt: "403 forbidden, 403 forbidden, 403 forbidden",
      "jwt-denylist": "403 forbidden, 403 forbidden, 403 forbidden",
      "jwt-cutoff": "403 forbidden, 403 forbidden, 403 forbidden",
    },
    async run(context) {
      const alice = await loggedIn(context, aliceAccount);
      const me = (await alice.authed("GET", "/auth/me")).body as { user: { id: string } };
      const replies = [
        await alice.authed("GET", "/admin/users"),
        await alice.authed("GET", "/admin/carts"),
        await alice.authed("PATCH", `/admin/users/${me.user.id}`, { body: { role: "staff" } }),
      ];
      return replies.map(outcome).join(", ");
    },
  },
  {
    id: "horizontal",
    attack:
      "alice asks for bob's cart by his id: in the query, in the path, in the body, and through the staff list",
    expected: {
      session: "never bob's cart: her own, 404 not_found, 400 invalid_request, 403 forbidden",
      jwt: "never bob's cart: her own, 404 not_found, 400 invalid_request, 403 forbidden",
      "jwt-denylist":
        "never bob's cart: her own, 404 not_found, 400 invalid_request, 403 forbidden",
      "jwt-cutoff": "never bob's cart: her own, 404 not_found, 400 invalid_request, 403 forbidden",
    },
    async run(context) {
      const bob = await loggedIn(context, bobAccount);
      const bobId = ((await bob.authed("GET", "/auth/me")).body as { user: { id: string } }).user
        .id;
      await bob.authed("POST", "/cart/items", { body: { productId: firstProductId, quantity: 7 } });
      const alice = await loggedIn(context, aliceAccount);
      const byQuery = await alice.authed("GET", `/cart?userId=${bobId}`);
      const cart = cartSchema.safeParse(byQuery.body);
      const own = cart.success && cart.data.itemCount === 0 ? "her own" : "BOB'S CART";
      const replies = [
        await alice.authed("GET", `/cart/${bobId}`),
        await alice.authed("POST", "/cart/items", {
          body: { productId: firstProductId, quantity: 1, userId: bobId },
        }),
        await alice.authed("GET", "/admin/carts"),
      ];
      const leaked = replies.some((reply) => JSON.stringify(reply.body).includes('"quantity":7'));
      const verdict = leaked ? "BOB'S CART LEAKED" : "never bob's cart";
      return `${verdict}: ${own}, ${replies.map(outcome).join(", ")}`;
    },
  },
  {
    id: "demoted-staff",
    attack:
      "A staff member demoted by another keeps using a staff route with what they hold (then refreshes)",
    expected: {
      session: "403 forbidden",
      jwt: "200; refreshed: 403 forbidden",
      "jwt-denylist": "200; refreshed: 403 forbidden",
      "jwt-cutoff": "401 unauthenticated; refreshed: 403 forbidden",
    },
    async run(context) {
      const sam = await samAgainst(context);
      await sam.changeBob({ role: "staff" });
      const bob = await loggedIn(context, bobAccount);
      const list = () => bob.authed("GET", "/admin/users");
      if ((await list()).status !== 200) throw new Error("bob, made staff, cannot list users");
      await sam.changeBob({ role: "customer" });
      return `${outcome(await list())}${await afterRefresh(bob, list)}`;
    },
  },
  {
    id: "disabled-user",
    attack: "A disabled user keeps using the shop with what they hold (then refreshes)",
    expected: {
      session: "401 unauthenticated",
      jwt: "200; refresh: 401 unauthenticated",
      "jwt-denylist": "200; refresh: 401 unauthenticated",
      "jwt-cutoff": "401 unauthenticated; refresh: 401 unauthenticated",
    },
    async run(context) {
      const sam = await samAgainst(context);
      const bob = await loggedIn(context, bobAccount);
      await sam.changeBob({ disabled: true });
      const cart = () => bob.authed("GET", "/cart");
      return `${outcome(await cart())}${await afterRefresh(bob, cart)}`;
    },
  },
];
