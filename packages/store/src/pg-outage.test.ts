import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insecureFastScryptParamsForTests as fast } from "./passwords";
import { openPostgresStore, type PostgresShopStore } from "./postgres";
import { StoreUnavailableError } from "./store-unavailable";
import { postgresTestSchemas, postgresUrlForTests, startTcpProxy, type TcpProxy } from "./testing";

const baseUrl = postgresUrlForTests("the PostgreSQL outage tests");

async function timed<Result>(run: () => Promise<Result>): Promise<[Result, number]> {
  const startMs = performance.now();
  const result = await run();
  return [result, performance.now() - startMs];
}

/** What a call threw, or undefined; with how long it took to settle. */
const failureOf = (run: () => Promise<unknown>) =>
  timed(() =>
    run().then(
      () => undefined,
      (error: unknown) => error,
    ),
  );

/** Retries until the store answers again; fails after 10 s. */
async function waitForRecovery(store: PostgresShopStore): Promise<void> {
  const startMs = performance.now();
  while (performance.now() - startMs < 10_000) {
    const error = (await failureOf(() => store.products.listProducts()))[0];
    if (error === undefined) return;
    expect(error).toBeInstanceOf(StoreUnavailableError);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the store did not recover within 10 s after PostgreSQL came back");
}

// PostgreSQL behind a proxy this test controls; the shared server itself is never stopped.
describe.skipIf(!baseUrl)("the PostgreSQL store, when PostgreSQL goes away", () => {
  const schemas = postgresTestSchemas(String(baseUrl), "outage");
  let url: string;
  let proxy: TcpProxy;
  let store: PostgresShopStore;
  let aliceId: string;

  beforeAll(async () => {
    url = await schemas.create();
    proxy = await startTcpProxy(url);
    store = await openPostgresStore({ url: proxy.url, scrypt: fast, log: () => {} });
    aliceId = (await store.users.findUserByUsername("alice"))?.id ?? "";
    await store.carts.addItem(aliceId, "claw-hammer", 2);
  });
  afterEach(async () => {
    proxy.resume();
    await proxy.restore();
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.close();
    await schemas.dropAll();
  });

  it("fails every call with StoreUnavailableError within 2 s while the connection is cut", async () => {
    await proxy.cut();
    for (const call of [
      () => store.products.listProducts(),
      () => store.carts.addItem(aliceId, "claw-hammer", 1),
      () => store.users.verifyCredentials("alice", "wonderland42"),
    ]) {
      const [error, elapsedMs] = await failureOf(call);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(elapsedMs).toBeLessThan(2000);
    }
  });

  it("works again when PostgreSQL returns, without reopening, and kept the cart", async () => {
    await proxy.cut();
    await proxy.restore();
    await waitForRecovery(store);
    expect((await store.carts.getCart(aliceId)).items).toMatchObject([
      { productId: "claw-hammer", quantity: 2 },
    ]);
  });

  it("fails within 2 s when PostgreSQL stops answering, and recovers when it answers again", async () => {
    await store.products.listProducts(); // a pooled connection, about to go silent
    proxy.stall();
    const [error, elapsedMs] = await failureOf(() => store.carts.getCart(aliceId));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(elapsedMs).toBeLessThan(2000);
    const [second, secondMs] = await failureOf(() => store.products.listProducts());
    expect(second).toBeInstanceOf(StoreUnavailableError);
    expect(secondMs).toBeLessThan(2000);
    proxy.resume();
    await waitForRecovery(store);
  });

  it("rethrows a bug in the SQL as it is, not as an outage", async () => {
    const [error] = await failureOf(() => store.database.query("SELECT no_such_column FROM users"));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
  });

  it("refuses to start once PostgreSQL has not answered for the startup wait", async () => {
    await proxy.cut();
    const [error] = await failureOf(() =>
      openPostgresStore({ url: proxy.url, scrypt: fast, startupWaitMs: 300, log: () => {} }),
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it("starts once PostgreSQL answers within the startup wait", async () => {
    await proxy.cut();
    setTimeout(() => void proxy.restore(), 500);
    const late = await openPostgresStore({ url: proxy.url, scrypt: fast, log: () => {} });
    expect(await late.products.listProducts()).not.toEqual([]);
    await late.close();
  });
});
