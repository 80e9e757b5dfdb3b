import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@repo/shop";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config";

const strongSecret = "k3J9xQ2mP7vR1tY8wZ4nB6cD0fG5hL-_aSdEuIoP";
const dataDir = () => mkdtempSync(join(tmpdir(), "session-api-config-"));

describe("readConfig", () => {
  it("defaults to port 4001, the sqlite session store, 30 min idle and 8 h absolute", () => {
    const config = readConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({
      port: 4001,
      host: "127.0.0.1",
      sessionStore: "sqlite",
      sessionIdleTimeoutMs: 30 * 60 * 1000,
      sessionAbsoluteTimeoutMs: 8 * 60 * 60 * 1000,
      demoMode: true,
      trustedOrigins: [],
    });
  });

  it("generates a development secret once and keeps it in DATA_DIR", () => {
    const dir = dataDir();
    const first = readConfig({ DATA_DIR: dir }).sessionSecrets;
    const second = readConfig({ DATA_DIR: dir }).sessionSecrets;
    expect(first).toEqual(second);
    expect(first).toHaveLength(1);
    expect(Buffer.byteLength(first[0] ?? "")).toBeGreaterThanOrEqual(32);
    const file = join(dir, "session-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first[0]);
    expect(statSync(file).mode & 0o077).toBe(0); // readable by this user only
  });

  it("reads SESSION_SECRET as a list, newest first, for rotation", () => {
    const older = "older-secret-ZYXWVUTSRQPONMLKJIHGFEDCBA-9876543210";
    const config = readConfig({ DATA_DIR: dataDir(), SESSION_SECRET: `${strongSecret}, ${older}` });
    expect(config.sessionSecrets).toEqual([strongSecret, older]);
  });

  it("refuses to start in production without SESSION_SECRET", () => {
    expect(() => readConfig({ NODE_ENV: "production", DATA_DIR: dataDir() })).toThrow(
      /SESSION_SECRET is required when NODE_ENV=production/,
    );
  });

  it.each([
    ["short", "too-short-secret"],
    ["repetitive", "a".repeat(64)],
    ["an empty entry in the list", `${strongSecret},`],
  ])("refuses a weak SESSION_SECRET (%s)", (_name, secret) => {
    const env = { NODE_ENV: "production", DATA_DIR: dataDir(), SESSION_SECRET: secret };
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(/too weak/);
  });

  it("refuses a weak SESSION_SECRET in development too", () => {
    expect(() => readConfig({ DATA_DIR: dataDir(), SESSION_SECRET: "changeme" })).toThrow(/weak/);
  });

  it("accepts a strong secret in production, and turns demo mode off", () => {
    const config = readConfig({ NODE_ENV: "production", SESSION_SECRET: strongSecret });
    expect(config.isProduction).toBe(true);
    expect(config.demoMode).toBe(false);
  });

  it("knows the four session stores and refuses others", () => {
    expect(readConfig({ DATA_DIR: dataDir(), SESSION_STORE: "memory" }).sessionStore).toBe(
      "memory",
    );
    expect(() => readConfig({ DATA_DIR: dataDir(), SESSION_STORE: "mongo" })).toThrow(
      /SESSION_STORE must be one of memory, sqlite, redis, postgres/,
    );
  });

  it("keeps sessions in the shop's database by default, and refuses another database", () => {
    const postgres = { SHOP_STORE: "postgres", DATABASE_URL: "postgres://127.0.0.1/shop" };
    expect(readConfig({ DATA_DIR: dataDir(), ...postgres }).sessionStore).toBe("postgres");
    expect(() => readConfig({ DATA_DIR: dataDir(), SESSION_STORE: "postgres" })).toThrow(
      /SESSION_STORE=postgres .* set SHOP_STORE=postgres with DATABASE_URL/,
    );
    expect(() => readConfig({ DATA_DIR: dataDir(), SHOP_STORE: "postgres" })).toThrow(
      /SHOP_STORE=postgres needs DATABASE_URL/,
    );
    expect(() => readConfig({ DATA_DIR: dataDir(), ...postgres, SESSION_STORE: "sqlite" })).toThrow(
      /SESSION_STORE=sqlite .* set SHOP_STORE=sqlite/,
    );
    const redis = { SESSION_STORE: "redis", REDIS_URL: "redis://127.0.0.1:6379" };
    expect(readConfig({ DATA_DIR: dataDir(), ...postgres, ...redis }).sessionStore).toBe("redis");
  });

  it("refuses the memory store in production, where MemoryStore would leak", () => {
    const env = { NODE_ENV: "production", SESSION_SECRET: strongSecret, SESSION_STORE: "memory" };
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(/SESSION_STORE=memory .* leaks memory/);
    expect(readConfig({ ...env, SESSION_STORE: "sqlite" }).sessionStore).toBe("sqlite");
  });

  it("needs REDIS_URL for the redis store", () => {
    expect(() => readConfig({ DATA_DIR: dataDir(), SESSION_STORE: "redis" })).toThrow(
      /SESSION_STORE=redis needs REDIS_URL/,
    );
    const config = readConfig({
      DATA_DIR: dataDir(),
      SESSION_STORE: "redis",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(config.redisUrl).toBe("redis://127.0.0.1:6379");
  });

  it("reads the timeouts in seconds and refuses an absolute lifetime shorter than idle", () => {
    const config = readConfig({
      DATA_DIR: dataDir(),
      SESSION_IDLE_TIMEOUT_SECONDS: "60",
      SESSION_ABSOLUTE_TIMEOUT_SECONDS: "120",
    });
    expect(config.sessionIdleTimeoutMs).toBe(60_000);
    expect(config.sessionAbsoluteTimeoutMs).toBe(120_000);
    expect(() =>
      readConfig({
        DATA_DIR: dataDir(),
        SESSION_IDLE_TIMEOUT_SECONDS: "600",
        SESSION_ABSOLUTE_TIMEOUT_SECONDS: "60",
      }),
    ).toThrow(/at least SESSION_IDLE_TIMEOUT_SECONDS/);
    expect(() => readConfig({ DATA_DIR: dataDir(), SESSION_IDLE_TIMEOUT_SECONDS: "-5" })).toThrow(
      ConfigError,
    );
  });

  it("reads CSRF_TRUSTED_ORIGINS and refuses anything that is not an origin", () => {
    const config = readConfig({
      DATA_DIR: dataDir(),
      CSRF_TRUSTED_ORIGINS: "https://shop.example, http://127.0.0.1:5173",
    });
    expect(config.trustedOrigins).toEqual(["https://shop.example", "http://127.0.0.1:5173"]);
    expect(() =>
      readConfig({ DATA_DIR: dataDir(), CSRF_TRUSTED_ORIGINS: "https://shop.example/path" }),
    ).toThrow(/CSRF_TRUSTED_ORIGINS/);
    expect(() => readConfig({ DATA_DIR: dataDir(), CSRF_TRUSTED_ORIGINS: "*" })).toThrow(
      ConfigError,
    );
  });
});
