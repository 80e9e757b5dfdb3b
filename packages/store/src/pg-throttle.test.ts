import { afterAll, afterEach, describe, expect, it } from "vitest";
import { insecureFastScryptParamsForTests as fast } from "./passwords";
import { createPgThrottleStore } from "./pg-throttle";
import { openPostgresStore, type PostgresShopStore } from "./postgres";
import { postgresTestSchemas, postgresUrlForTests } from "./testing";
import { describeThrottleStoreContract } from "./throttle-contract-tests";

const baseUrl = postgresUrlForTests("the PostgreSQL throttle store tests");

describe.skipIf(!baseUrl)("the PostgreSQL throttle store", () => {
  const schemas = postgresTestSchemas(String(baseUrl), "throttle");
  afterAll(() => schemas.dropAll());
  const opened: PostgresShopStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  /** A shop store (an instance) on the schema at `url`, migrated; closed after the test. */
  const open = async (url: string) => {
    const store = await openPostgresStore({ url, scrypt: fast, seed: false, log: () => {} });
    opened.push(store);
    return store;
  };

  describeThrottleStoreContract("PostgreSQL", async () => {
    const shop = await openPostgresStore({
      url: await schemas.create(),
      scrypt: fast,
      seed: false,
      log: () => {},
    });
    return { store: createPgThrottleStore(shop.database), close: () => shop.close() };
  });

  it("shares its counters with every instance on the same database, even when they race", async () => {
    const url = await schemas.create();
    const [one, other] = (await Promise.all([open(url), open(url)])).map((shop) =>
      createPgThrottleStore(shop.database),
    );
    if (!one || !other) throw new Error("two stores expected");
    const limits = [
      { key: "account:shared", maxAttempts: 5 },
      { key: "address:shared", maxAttempts: 20 },
    ];
    const window = { windowMs: 60_000, lockMs: 60_000 };
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? one : other).reserve(limits, window, 0)),
    );
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(5);
    expect(await one.reserve(limits, window, 1)).toEqual({ allowed: false, retryAfterMs: 59_999 });
    expect((await other.reserve(limits, window, 1)).allowed).toBe(false);
  });

  it("forgets expired counters as new attempts come in, so the table stays small", async () => {
    const shop = await open(await schemas.create());
    const store = createPgThrottleStore(shop.database);
    const window = { windowMs: 1000, lockMs: 1000 };
    for (let i = 0; i < 50; i++) {
      await store.reserve([{ key: `address:${i}`, maxAttempts: 5 }], window, i * 2000);
    }
    const rows = await shop.database.query<{ n: number }>(
      "SELECT count(*) AS n FROM login_throttle",
    );
    expect(rows.rows[0]?.n).toBeLessThan(5);
  });

  it("fails its health check when the table is missing", async () => {
    const shop = await open(await schemas.create());
    await shop.database.query("DROP TABLE login_throttle");
    await expect(createPgThrottleStore(shop.database).healthCheck()).rejects.toThrow();
  });
});
