import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  isWeakSecret,
  readChoice,
  readSecret,
  readServerConfig,
  requireShopStore,
} from "./config";

describe("readServerConfig", () => {
  it("defaults to 127.0.0.1, demo mode on, and one SQLite file under .data", () => {
    const config = readServerConfig({}, { port: 4001 });
    expect(config).toMatchObject({
      port: 4001,
      host: "127.0.0.1",
      demoMode: true,
      isProduction: false,
    });
    expect(config.databaseFile).toMatch(/\.data\/shop\.sqlite$/);
    expect(config.trustProxy).toBeUndefined();
  });

  it("reads TRUST_PROXY as a hop count or addresses, and unset by default", () => {
    expect(readServerConfig({ TRUST_PROXY: "1" }, { port: 1 }).trustProxy).toBe(1);
    expect(readServerConfig({ TRUST_PROXY: "loopback" }, { port: 1 }).trustProxy).toBe("loopback");
    expect(readServerConfig({ TRUST_PROXY: "0" }, { port: 1 }).trustProxy).toBeUndefined();
  });

  it("turns demo mode off in production unless DEMO_MODE=1 says otherwise", () => {
    expect(readServerConfig({ NODE_ENV: "production" }, { port: 1 }).demoMode).toBe(false);
    expect(readServerConfig({ NODE_ENV: "production", DEMO_MODE: "1" }, { port: 1 }).demoMode).toBe(
      true,
    );
  });

  it.each([["127.0.0.1"], ["127.1.2.3"], ["::1"], ["localhost"], ["::ffff:127.0.0.1"]])(
    "starts demo mode on the loopback address %s",
    (host) => {
      expect(readServerConfig({ HOST: host }, { port: 1 })).toMatchObject({ host, demoMode: true });
    },
  );

  it.each([["0.0.0.0"], ["::"], ["192.168.1.20"], ["shop.example"]])(
    "refuses demo mode on HOST=%s, which other machines can reach, unless DEMO_ALLOW_NETWORK=1",
    (host) => {
      expect(() => readServerConfig({ HOST: host }, { port: 1 })).toThrow(/DEMO_ALLOW_NETWORK=1/);
      const allowed = readServerConfig({ HOST: host, DEMO_ALLOW_NETWORK: "1" }, { port: 1 });
      expect(allowed).toMatchObject({ host, demoMode: true });
      expect(readServerConfig({ HOST: host, DEMO_MODE: "0" }, { port: 1 }).demoMode).toBe(false);
    },
  );

  it.each([
    [{ PORT: "http" }, /PORT must be a port number/],
    [{ PORT: "70000" }, /PORT must be a port number/],
    [{ DEMO_MODE: "yes" }, /DEMO_MODE must be 1 or 0/],
    [{ REDIS_URL: "127.0.0.1:6379" }, /REDIS_URL must start with redis:\/\//],
    [{ TRUST_PROXY: "true" }, /TRUST_PROXY=true would trust a forged X-Forwarded-For/],
  ])("refuses %o with a message naming the variable", (env, message) => {
    expect(() => readServerConfig(env, { port: 1 })).toThrow(ConfigError);
    expect(() => readServerConfig(env, { port: 1 })).toThrow(message);
  });
});

describe("SHOP_STORE and DATABASE_URL", () => {
  const url = "postgres://shop:s3cret@db.internal:5432/shop";

  it("keeps the shop in the SQLite file by default, even when DATABASE_URL is set", () => {
    for (const env of [{}, { DATABASE_URL: url }]) {
      const config = readServerConfig(env, { port: 1 });
      expect(config.shopStore).toEqual({ kind: "sqlite", file: config.databaseFile });
    }
  });

  it("opens PostgreSQL at DATABASE_URL with SHOP_STORE=postgres", () => {
    const config = readServerConfig({ SHOP_STORE: "postgres", DATABASE_URL: url }, { port: 1 });
    expect(config.shopStore).toEqual({ kind: "postgres", url });
  });

  it.each([
    [{ SHOP_STORE: "postgres" }, /SHOP_STORE=postgres needs DATABASE_URL/],
    [{ SHOP_STORE: "postgres", DATABASE_URL: "mysql://s3cret@db/shop" }, /postgres:\/\//],
    [{ SHOP_STORE: "mongo" }, /SHOP_STORE must be one of sqlite, postgres/],
  ])("refuses %j with a message that never shows the password", (env, message) => {
    const read = () => readServerConfig(env, { port: 1 });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
    expect(read).not.toThrow(/s3cret/);
  });

  it("lets a state store share only the database the shop is in", () => {
    const sqlite = readServerConfig({}, { port: 1 });
    const postgres = readServerConfig({ SHOP_STORE: "postgres", DATABASE_URL: url }, { port: 1 });
    expect(() => requireShopStore(sqlite, "SESSION_STORE=sqlite", "sqlite")).not.toThrow();
    expect(() => requireShopStore(postgres, "SESSION_STORE=postgres", "postgres")).not.toThrow();
    expect(() => requireShopStore(sqlite, "SESSION_STORE=postgres", "postgres")).toThrow(
      /SESSION_STORE=postgres .* set SHOP_STORE=postgres with DATABASE_URL/,
    );
    expect(() => requireShopStore(postgres, "JWT_STATE_STORE=sqlite", "sqlite")).toThrow(
      /JWT_STATE_STORE=sqlite .*set SHOP_STORE=sqlite/,
    );
  });
});

describe("readChoice", () => {
  it("lists the allowed values when given another", () => {
    expect(() => readChoice({ STORE: "mongo" }, "STORE", ["memory", "sqlite"], "sqlite")).toThrow(
      'STORE must be one of memory, sqlite, not "mongo".',
    );
  });
});

describe("trusted origins and secrets", () => {
  it("reads CSRF_TRUSTED_ORIGINS as a list of exact origins", () => {
    const env = { CSRF_TRUSTED_ORIGINS: "https://shop.example, http://127.0.0.1:8080" };
    expect(readServerConfig(env, { port: 1 }).trustedOrigins).toEqual([
      "https://shop.example",
      "http://127.0.0.1:8080",
    ]);
    expect(() =>
      readServerConfig({ CSRF_TRUSTED_ORIGINS: "https://shop.example/path" }, { port: 1 }),
    ).toThrow(/CSRF_TRUSTED_ORIGINS must list origins/);
  });

  it("calls a secret weak when it is short or repetitive", () => {
    expect(isWeakSecret("x".repeat(64))).toBe(true);
    expect(isWeakSecret("short-but-varied")).toBe(true);
    expect(isWeakSecret("0123456789abcdefghijklmnopqrstuv")).toBe(false);
  });
});

describe("readSecret", () => {
  const devServer = () => ({
    isProduction: false,
    dataDir: mkdtempSync(join(tmpdir(), "secret-")),
  });

  it("takes the secret from the environment when set", () => {
    expect(readSecret({ S: "from-env" }, "S", devServer(), "s")).toBe("from-env");
  });

  it("generates one once in development, and keeps it across restarts", () => {
    const server = devServer();
    const first = readSecret({}, "S", server, "s");
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readSecret({}, "S", server, "s")).toBe(first);
  });

  it("refuses to invent one in production", () => {
    const server = { isProduction: true, dataDir: "/nonexistent" };
    expect(() => readSecret({}, "S", server, "s")).toThrow(
      /S is required when NODE_ENV=production/,
    );
  });
});

describe("INSTANCE_NAME", () => {
  it("names the instance after its port unless INSTANCE_NAME says otherwise", () => {
    expect(readServerConfig({}, { port: 4001 }).instanceName).toBe("4001");
    expect(readServerConfig({ PORT: "5000" }, { port: 4001 }).instanceName).toBe("5000");
    expect(readServerConfig({ INSTANCE_NAME: "session-api-2" }, { port: 4001 }).instanceName).toBe(
      "session-api-2",
    );
  });

  it("refuses a name that would need quoting in a header", () => {
    for (const name of ["two words", "a\r\nSet-Cookie: x=1", "x".repeat(65)]) {
      expect(() => readServerConfig({ INSTANCE_NAME: name }, { port: 1 })).toThrow(ConfigError);
    }
  });
});
