import { scrypt } from "node:crypto";
import { demoUsers } from "@repo/contract";
import { describe, expect, it, vi } from "vitest";
import { insecureFastScryptParamsForTests as fast } from "./passwords";
import { openSqliteStore } from "./sqlite";

// The real scrypt, watched, so a test can count key derivations.
vi.mock("node:crypto", async (importOriginal) => {
  const crypto = await importOriginal<typeof import("node:crypto")>();
  return { ...crypto, scrypt: vi.fn(crypto.scrypt) };
});

const [alice] = demoUsers;
if (!alice) throw new Error("the contract lists no demo user");

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
});
