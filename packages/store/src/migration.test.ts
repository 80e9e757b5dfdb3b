import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { insecureFastScryptParamsForTests as fast, hashPassword } from "./passwords";
import { openSqliteStore } from "./sqlite";

const run = promisify(execFile);
const tempDir = mkdtempSync(join(tmpdir(), "store-migration-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
const child = join(import.meta.dirname, "seed-race.child.ts");

// The schema as the code created it before roles (commit e548007), copied, not imported: the
// test must keep describing yesterday's files whatever schema.ts says today.
const schemaBeforeRoles = `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username_canonical TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE products (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  position INTEGER NOT NULL
);
CREATE TABLE cart_items (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  PRIMARY KEY (user_id, product_id)
) WITHOUT ROWID;
`;

let fileCount = 0;
/** A file as yesterday's code left it: alice and bob (no sam), one product, a cart line. */
async function fileMadeBeforeRoles(): Promise<string> {
  const dir = join(tempDir, `old-${++fileCount}`);
  mkdirSync(dir);
  const file = join(dir, "shop.db");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(schemaBeforeRoles);
  const insertUser = db.prepare(
    "INSERT INTO users VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')",
  );
  insertUser.run("id-alice", "alice", "alice", "Alice", await hashPassword("wonderland42", fast));
  insertUser.run("id-bob", "bob", "bob", "Bob", await hashPassword("builder42", fast));
  db.prepare("INSERT INTO products VALUES ('claw-hammer', 'Claw hammer', 'Steel.', 2450, 0)").run();
  db.prepare("INSERT INTO cart_items VALUES ('id-bob', 'claw-hammer', 4)").run();
  db.close();
  return file;
}

describe("a database file made before roles", () => {
  it("gains role, disabled and the cut-off, keeping every row: users are customers, enabled", async () => {
    const file = await fileMadeBeforeRoles();
    const store = await openSqliteStore({ file, scrypt: fast });

    expect(await store.users.findAccountById("id-alice")).toEqual({
      id: "id-alice",
      username: "alice",
      displayName: "Alice",
      role: "customer",
      disabled: false,
      tokensValidAfterMs: 0,
      loginsValidAfterMs: 0,
    });
    expect(await store.users.verifyCredentials("bob", "builder42")).toMatchObject({ id: "id-bob" });
    expect((await store.carts.getCart("id-bob")).items).toMatchObject([
      { productId: "claw-hammer", quantity: 4 },
    ]);
    // The new columns work like a new file's: a change is stored and read back.
    expect(await store.users.updateAccount("id-bob", { disabled: true }, 1_000)).toMatchObject({
      disabled: true,
      tokensValidAfterMs: 1_000,
    });
    await store.close();
  });

  it("gains the missing demo user sam, as staff, and keeps alice's and bob's ids", async () => {
    const file = await fileMadeBeforeRoles();
    const store = await openSqliteStore({ file, scrypt: fast });
    expect(await store.users.verifyCredentials("sam", "storekeeper42")).toMatchObject({
      username: "sam",
      displayName: "Sam",
      role: "staff",
    });
    const names = (await store.users.listAccounts()).map(({ id, username }) => [username, id]);
    expect(names).toEqual([
      ["alice", "id-alice"],
      ["bob", "id-bob"],
      ["sam", expect.any(String)],
    ]);
    // The catalogue was not empty, so it is left as it was: nothing seeded over it.
    expect(await store.products.listProducts()).toHaveLength(1);
    await store.close();
  });

  it("gains no demo user where demo users are off, as in production", async () => {
    const file = await fileMadeBeforeRoles();
    const store = await openSqliteStore({ file, scrypt: fast, demoUsers: false });
    expect(await store.users.findUserByUsername("sam")).toBeUndefined();
    expect(await store.users.findUserByUsername("alice")).toMatchObject({ role: "customer" });
    await store.close();
  });

  // The limit only catches a hang: two tsx start-ups on a busy 2-core machine can take a minute.
  it("is migrated once when two processes open it at the same moment", async () => {
    const file = await fileMadeBeforeRoles();
    const startAtMs = String(Date.now() + 1500); // past both processes' start-up
    const outputs = await Promise.all(
      [1, 2].map(() => run(process.execPath, ["--import", "tsx", child, file, startAtMs])),
    );
    for (const { stdout, stderr } of outputs) {
      expect(stdout).toBe("opened\n");
      expect(stderr).toBe("");
    }
    const store = await openSqliteStore({ file, scrypt: fast });
    const columns = store.database
      .prepare("SELECT name FROM pragma_table_info('users')")
      .pluck()
      .all();
    expect(columns).toEqual(
      expect.arrayContaining([
        "role",
        "disabled",
        "tokens_valid_after_ms",
        "logins_valid_after_ms",
      ]),
    );
    expect(columns).toHaveLength(10);
    expect(await store.users.listAccounts()).toHaveLength(3); // sam added once
    await store.close();
  }, 120_000);
});
