import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateDevSecret } from "./dev-secrets";

describe("loadOrCreateDevSecret", () => {
  it("creates the secret once, private to this user, and returns the same one after", () => {
    const dir = mkdtempSync(join(tmpdir(), "secrets-"));
    const path = join(dir, "nested", "session-secret");
    let created = 0;
    const make = () => `secret-${++created}`;
    expect(loadOrCreateDevSecret(path, make)).toBe("secret-1");
    expect(loadOrCreateDevSecret(path, make)).toBe("secret-1");
    expect(created).toBe(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "nested")).mode & 0o777).toBe(0o700); // DATA_DIR, made private
    expect(readdirSync(join(dir, "nested"))).toEqual(["session-secret"]);
  });
});
