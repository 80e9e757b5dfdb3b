import { scrypt } from "node:crypto";
import { demoUsers } from "@repo/contract";
import { describe, expect, it, vi } from "vitest";
import {
  insecureFastScryptParamsForTests as fast,
  hashPassword,
  parsePasswordHash,
  type ScryptParams,
} from "./passwords";
import { openSqliteStore, type SqliteShopStore } from "./sqlite";

// The real scrypt, watched, so a test can count key derivations.
vi.mock("node:crypto", async (importOriginal) => {
  const crypto = await importOriginal<typeof import("node:crypto")>();
  return { ...crypto, scrypt: vi.fn(crypto.scrypt) };
});

const [alice] = demoUsers;
if (!alice) throw new Error("the contract lists no demo user");
const stronger: ScryptParams = { ...fast, N: fast.N * 2 };

const storedParams = (store: SqliteShopStore) =>
  parsePasswordHash(
    String(
      store.database
        .prepare("SELECT password_hash FROM users WHERE username_canonical = ?")
        .pluck()
        .get(alice.username),
    ),
  );

const storeAlicesPassword = async (store: SqliteShopStore, params: ScryptParams) => {
  const hash = await hashPassword(alice.password, params);
  store.database
    .prepare("UPDATE users SET password_hash = ? WHERE username_canonical = ?")
    .run(hash, alice.username);
};

describe("verifyCredentials", () => {
  it("spends exactly one key derivation on an unknown user, as on a wrong password", async () => {
    const store = await openSqliteStore({ file: ":memory:", scrypt: fast });
    const derivations = async (username: string) => {
      vi.mocked(scrypt).mockClear();
      expect(await store.users.verifyCredentials(username, "not-the-password")).toBeUndefined();
      return vi.mocked(scrypt).mock.calls.length;
    };
    expect(await derivations("mallory")).toBe(1); // the first unknown user too
    expect(await derivations("mallory")).toBe(1);
    expect(await derivations(alice.username)).toBe(1);
    await store.close();
  });

  it("re-hashes at login a password stored with weaker parameters than the store's", async () => {
    const store = await openSqliteStore({ file: ":memory:", scrypt: stronger });
    await storeAlicesPassword(store, fast);

    expect(await store.users.verifyCredentials(alice.username, "not-the-password")).toBeUndefined();
    expect(storedParams(store)).toEqual(fast); // a failed login changes nothing
    const user = await store.users.verifyCredentials(alice.username, alice.password);
    expect(user?.username).toBe(alice.username);
    expect(storedParams(store)).toEqual(stronger);
    expect(await store.users.verifyCredentials(alice.username, alice.password)).toEqual(user);
    await store.close();
  });

  it("leaves a password stored with stronger parameters than the store's as it is", async () => {
    const store = await openSqliteStore({ file: ":memory:", scrypt: fast });
    await storeAlicesPassword(store, stronger);

    expect(await store.users.verifyCredentials(alice.username, alice.password)).toBeDefined();
    expect(storedParams(store)).toEqual(stronger);
    await store.close();
  });
});
