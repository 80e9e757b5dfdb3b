import { demoUsers } from "@repo/contract";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { describeShopStoreContract } from "./contract-tests";
import { insecureFastScryptParamsForTests as fast, parsePasswordHash } from "./passwords";
import { shopMigrations } from "./pg-schema";
import { openPostgresStore, type PostgresShopStore } from "./postgres";
import { demoProducts } from "./seed";
import { postgresTestSchemas, postgresUrlForTests } from "./testing";

const baseUrl = postgresUrlForTests("the PostgreSQL shop store tests");

describe.skipIf(!baseUrl)("the PostgreSQL shop store", () => {
  const schemas = postgresTestSchemas(String(baseUrl), "store");
  afterAll(() => schemas.dropAll());
  const opened: PostgresShopStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  const open = async (url: string, options: { demoUsers?: boolean; seed?: boolean } = {}) => {
    const store = await openPostgresStore({ url, scrypt: fast, log: () => {}, ...options });
    opened.push(store);
    return store;
  };
  const count = async (store: PostgresShopStore, table: string) =>
    (await store.database.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n;

  describeShopStoreContract("PostgreSQL", async () =>
    openPostgresStore({ url: await schemas.create(), scrypt: fast, log: () => {} }),
  );

  it("migrates and seeds once when four instances start on an empty schema at the same moment", async () => {
    const url = await schemas.create();
    const stores = await Promise.all([1, 2, 3, 4].map(() => open(url)));
    const [first] = stores;
    if (!first) throw new Error("no store opened");
    expect(await count(first, "users")).toBe(demoUsers.length);
    expect(await count(first, "products")).toBe(demoProducts.length);
    const steps = await first.database.query<{ component: string; version: number }>(
      "SELECT component, version FROM schema_migrations ORDER BY version",
    );
    const eachStepOnce = shopMigrations.map((_, index) => ({
      component: "shop",
      version: index + 1,
    }));
    expect(steps.rows).toEqual(eachStepOnce);
    for (const store of stores) {
      expect(await store.users.verifyCredentials("bob", "builder42")).toBeDefined();
    }
  });

  it("keeps users and carts when the store is opened again, and seeds nothing twice", async () => {
    const url = await schemas.create();
    const first = await open(url);
    const created = await first.users.createUser({
      username: "carol",
      password: "pass phrase",
      displayName: "Carol",
    });
    if (!created.ok) throw new Error("could not create carol");
    await first.carts.addItem(created.user.id, "claw-hammer", 3);
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await open(url);
    expect(await second.users.verifyCredentials("carol", "pass phrase")).toEqual(created.user);
    expect((await second.carts.getCart(created.user.id)).items).toMatchObject([
      { productId: "claw-hammer", quantity: 3 },
    ]);
    expect(await count(second, "users")).toBe(demoUsers.length + 1);
  });

  it("counts 50 concurrent adds spread over two instances as exactly 50", async () => {
    const url = await schemas.create();
    const [a, b] = await Promise.all([open(url), open(url)]);
    if (!a || !b) throw new Error("no store opened");
    const alice = await a.users.findUserByUsername("alice");
    if (!alice) throw new Error("no alice");
    // Both pools' connections opened first, one at a time: twenty connects at once on a busy
    // 2-CPU machine can outlast the pool's 1 s connect deadline, which this test is not about.
    for (const store of [a, b]) await openConnectionsOneAtATime(store, 10);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b).carts.addItem(alice.id, "chisel-set", 1),
      ),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect((await b.carts.getCart(alice.id)).items).toMatchObject([
      { productId: "chisel-set", quantity: 50 },
    ]);
  });

  it("seeds the products but no demo account when told so, as production does", async () => {
    const store = await open(await schemas.create(), { demoUsers: false });
    expect(await store.products.listProducts()).toEqual(demoProducts);
    expect(await store.users.findUserByUsername("alice")).toBeUndefined();
    expect(await store.users.verifyCredentials("alice", "wonderland42")).toBeUndefined();
  });

  it("seeds nothing when asked not to", async () => {
    const store = await open(await schemas.create(), { seed: false });
    expect(await store.products.listProducts()).toEqual([]);
    expect(await store.users.findUserByUsername("alice")).toBeUndefined();
  });

  it("re-hashes at login a password stored with weaker parameters than the store's", async () => {
    const url = await schemas.create();
    const weak = await open(url);
    const stronger = { ...fast, N: fast.N * 2 };
    const strong = await openPostgresStore({ url, scrypt: stronger, log: () => {} });
    opened.push(strong);
    const storedParams = async () => {
      const { rows } = await strong.database.query<{ password_hash: string }>(
        "SELECT password_hash FROM users WHERE username_canonical = 'alice'",
      );
      return parsePasswordHash(rows[0]?.password_hash ?? "");
    };
    expect(await storedParams()).toEqual(fast); // seeded by the first instance
    expect(await strong.users.verifyCredentials("alice", "wrong")).toBeUndefined();
    expect(await storedParams()).toEqual(fast);
    expect(await strong.users.verifyCredentials("alice", "wonderland42")).toBeDefined();
    expect(await storedParams()).toEqual(stronger);
    expect(await weak.users.verifyCredentials("alice", "wonderland42")).toBeDefined();
  });

  it("reads ids that are not uuids as unknown, not as a database error", async () => {
    const store = await open(await schemas.create());
    expect(await store.users.findUserById("not-a-uuid")).toBeUndefined();
    expect(await store.carts.getCart("not-a-uuid")).toEqual({
      items: [],
      itemCount: 0,
      totalCents: 0,
    });
  });
});

/** Fills `store`'s pool with `count` open connections, opened one after another, then frees them. */
async function openConnectionsOneAtATime(store: PostgresShopStore, count: number): Promise<void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const transactions: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    let connected = () => {};
    const ready = new Promise<void>((resolve) => {
      connected = resolve;
    });
    transactions.push(
      store.database.transaction(async () => {
        connected();
        await held;
      }),
    );
    await ready;
  }
  release();
  await Promise.all(transactions);
}
