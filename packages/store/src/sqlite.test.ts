import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { demoUsers } from "@repo/contract";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { describeShopStoreContract } from "./contract-tests";
import { insecureFastScryptParamsForTests as fast, parsePasswordHash } from "./passwords";
import { openSqliteStore } from "./sqlite";
import { busyTimeoutMs } from "./sqlite-busy";
import { StoreUnavailableError } from "./store-unavailable";

const tempDir = mkdtempSync(join(tmpdir(), "store-test-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
let fileCount = 0;
const newFile = () => join(tempDir, `nested-${++fileCount}`, "shop.db");

describeShopStoreContract("SQLite :memory:", () =>
  openSqliteStore({ file: ":memory:", scrypt: fast }),
);
describeShopStoreContract("SQLite file", () => openSqliteStore({ file: newFile(), scrypt: fast }));

describe("openSqliteStore", () => {
  it("keeps users and carts when a file store is reopened", async () => {
    const file = newFile();
    const first = await openSqliteStore({ file, scrypt: fast });
    const created = await first.users.createUser({
      username: "carol",
      password: "pass phrase",
      displayName: "Carol",
    });
    if (!created.ok) throw new Error("could not create carol");
    await first.carts.addItem(created.user.id, "claw-hammer", 3);
    await first.close();

    const second = await openSqliteStore({ file, scrypt: fast });
    expect(await second.users.verifyCredentials("carol", "pass phrase")).toEqual(created.user);
    expect(await second.users.verifyCredentials("alice", "wonderland42")).toBeDefined();
    expect((await second.carts.getCart(created.user.id)).items).toMatchObject([
      { productId: "claw-hammer", quantity: 3 },
    ]);
    const userCount = second.database.prepare("SELECT count(*) AS n FROM users").get();
    expect(userCount).toEqual({ n: demoUsers.length + 1 }); // reopening did not seed again
    await second.close();
  });

  it("opens in WAL mode with foreign keys on and a busy timeout", async () => {
    const store = await openSqliteStore({ file: newFile(), scrypt: fast });
    expect(store.database.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.database.pragma("foreign_keys", { simple: true })).toBe(1);
    // Short: better-sqlite3 waits synchronously, freezing the process (sqlite-busy.ts).
    expect(store.database.pragma("busy_timeout", { simple: true })).toBe(busyTimeoutMs);
    await store.close();
  });

  it("creates the file readable by its owner only (0600), in a directory only its owner can open (0700): it holds password hashes", async () => {
    const file = newFile();
    const store = await openSqliteStore({ file, scrypt: fast });
    await store.carts.getCart("nobody"); // a read, so the WAL index exists too
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      expect(statSync(path).mode & 0o777, path).toBe(0o600);
    }
    await store.close();
  });

  it("lends its connection, so an app can keep its own tables in the same file", async () => {
    const store = await openSqliteStore({ file: ":memory:", scrypt: fast });
    store.database.exec("CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY)");
    store.database.prepare("INSERT INTO sessions VALUES (?)").run("abc");
    expect(store.database.prepare("SELECT sid FROM sessions").pluck().get()).toBe("abc");
    await store.close();
  });

  it("seeds nothing when asked not to", async () => {
    const store = await openSqliteStore({ file: ":memory:", scrypt: fast, seed: false });
    expect(await store.products.listProducts()).toEqual([]);
    expect(await store.users.findUserByUsername("alice")).toBeUndefined();
    await store.close();
  });

  it("seeds the products but no demo account when told so, as production does", async () => {
    const store = await openSqliteStore({ file: ":memory:", scrypt: fast, demoUsers: false });
    expect((await store.products.listProducts()).length).toBeGreaterThanOrEqual(6);
    expect(await store.users.findUserByUsername("alice")).toBeUndefined();
    expect(await store.users.verifyCredentials("alice", "wonderland42")).toBeUndefined();
    await store.close();
  });

  it("hashes the demo passwords with the parameters it was given", async () => {
    const store = await openSqliteStore({ file: ":memory:", scrypt: fast });
    const hash = store.database.prepare("SELECT password_hash FROM users LIMIT 1").pluck().get();
    expect(parsePasswordHash(String(hash))).toEqual(fast);
    await store.close();
  });

  it("spends as long on an unknown user as on a wrong password (a dummy hash is checked)", async () => {
    // A cost where one hash is ~10-20 ms, so skipping it shows as a gap of about 1000x.
    const store = await openSqliteStore({ file: ":memory:", scrypt: { N: 2 ** 14, r: 8, p: 1 } });
    const medianMs = async (username: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await store.users.verifyCredentials(username, "not-the-password");
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[2] ?? 0;
    };
    await medianMs("mallory"); // warm up the thread pool and the prepared statements
    const wrongPassword = await medianMs("alice");
    const unknownUser = await medianMs("mallory");
    // Without the dummy hash the gap is about 1000x; a 10x margin keeps a busy machine from flaking.
    expect(unknownUser).toBeGreaterThan(wrongPassword / 10);
    await store.close();
  });
});

describe("a file another connection holds the write lock of", () => {
  async function storeAndLockHolder() {
    const file = newFile();
    const store = await openSqliteStore({ file, scrypt: fast });
    const alice = await store.users.findUserByUsername("alice");
    if (!alice) throw new Error("alice was not seeded");
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    return { store, alice, other };
  }

  it("fails a write with StoreUnavailableError once its retries run out, and reads still work", async () => {
    const { store, alice, other } = await storeAndLockHolder();
    await expect(store.carts.addItem(alice.id, "claw-hammer", 1)).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect((await store.carts.getCart(alice.id)).items).toEqual([]); // WAL: readers never wait
    other.exec("ROLLBACK");
    other.close();
    expect((await store.carts.addItem(alice.id, "claw-hammer", 1)).ok).toBe(true);
    await store.close();
  });

  it("retries without freezing the process, so a lock released meanwhile lets the write through", async () => {
    const { store, alice, other } = await storeAndLockHolder();
    const added = store.carts.addItem(alice.id, "claw-hammer", 2);
    // A timer can only fire while the write waits if the wait does not block the event loop.
    setTimeout(() => {
      other.exec("ROLLBACK");
      other.close();
    }, 50);
    const change = await added;
    expect(change.ok && change.cart.itemCount).toBe(2);
    await store.close();
  });
});
