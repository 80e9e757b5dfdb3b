import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { insecureFastScryptParamsForTests as fast } from "./passwords";
import { openSqliteStore } from "./sqlite";
import { createSqliteThrottleStore } from "./sqlite-throttle";
import { createMemoryThrottleStore } from "./throttle";
import { describeThrottleStoreContract } from "./throttle-contract-tests";

const tempDir = mkdtempSync(join(tmpdir(), "store-throttle-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
let fileCount = 0;

describeThrottleStoreContract("memory", async () => ({
  store: createMemoryThrottleStore(),
  close: async () => {},
}));

describe("the memory throttle store", () => {
  it("holds a bounded number of counters, refusing new ones while all are live", async () => {
    const store = createMemoryThrottleStore({ maxCounters: 4 });
    const window = { windowMs: 60_000, lockMs: 60_000 };
    const attempt = (account: string, address: string, nowMs: number) =>
      store.reserve(
        [
          { key: `account:${account}`, maxAttempts: 5 },
          { key: `address:${address}`, maxAttempts: 20 },
        ],
        window,
        nowMs,
      );
    expect((await attempt("a", "1", 0)).allowed).toBe(true);
    expect((await attempt("b", "2", 10)).allowed).toBe(true); // 4 counters: full
    // A spray of fresh names cannot grow it: refused until the oldest counter expires.
    expect(await attempt("c", "3", 20)).toEqual({ allowed: false, retryAfterMs: 59_980 });
    expect((await attempt("a", "1", 30)).allowed).toBe(true); // counters it holds still count
    expect((await attempt("c", "3", 60_000)).allowed).toBe(true); // a's and 1's have expired
  });
});

describeThrottleStoreContract("SQLite file", async () => {
  const shop = await openSqliteStore({
    file: join(tempDir, `${++fileCount}.sqlite`),
    scrypt: fast,
  });
  return { store: await createSqliteThrottleStore(shop.database), close: () => shop.close() };
});

describe("the SQLite throttle store", () => {
  it("shares its counters with every process that opens the same file", async () => {
    const file = join(tempDir, "shared.sqlite");
    const first = await openSqliteStore({ file, scrypt: fast });
    const second = await openSqliteStore({ file, scrypt: fast });
    const one = await createSqliteThrottleStore(first.database);
    const other = await createSqliteThrottleStore(second.database);
    const limits = [{ key: "account:shared", maxAttempts: 2 }];
    const window = { windowMs: 60_000, lockMs: 60_000 };
    expect((await one.reserve(limits, window, 0)).allowed).toBe(true);
    expect((await other.reserve(limits, window, 0)).allowed).toBe(true);
    expect(await one.reserve(limits, window, 1)).toEqual({ allowed: false, retryAfterMs: 59_999 });
    expect((await other.reserve(limits, window, 1)).allowed).toBe(false);
    await first.close();
    await second.close();
  });

  it("forgets expired counters as new attempts come in, so the table stays small", async () => {
    const shop = await openSqliteStore({ file: ":memory:", scrypt: fast, seed: false });
    const store = await createSqliteThrottleStore(shop.database);
    const window = { windowMs: 1000, lockMs: 1000 };
    for (let i = 0; i < 50; i++) {
      await store.reserve([{ key: `address:${i}`, maxAttempts: 5 }], window, i * 2000);
    }
    const rows = shop.database.prepare("SELECT count(*) FROM login_throttle").pluck().get();
    expect(rows).toBeLessThan(5);
    await shop.close();
  });
});
