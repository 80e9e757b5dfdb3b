import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "@repo/shop";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config";
import { tempDir } from "./testing";

const strongSecret = "k3Q9v2Lx8Pz1Rw7Ty4Ub6Nc0Md5Ae2Sf9Hg3Jq";
const pemPair = () => {
  const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    JWT_PRIVATE_KEY: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    JWT_PUBLIC_KEY: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
};
const refusal = (env: Record<string, string>) => {
  try {
    readConfig({ DATA_DIR: tempDir(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("readConfig accepted it");
};

describe("readConfig", () => {
  it("defaults to port 4002, HS256, 900 s access tokens, 7 days of refresh, 30 at most, SQLite, no denylist, no cut-off", () => {
    const config = readConfig({ DATA_DIR: tempDir(), JWT_SECRET: strongSecret });
    expect(config).toMatchObject({
      port: 4002,
      host: "127.0.0.1",
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 604_800,
      refreshAbsoluteTimeoutSeconds: 2_592_000,
      denylist: false,
      userCutoff: false,
      stateStore: "sqlite",
      demoMode: true,
    });
    expect(config.keys.algorithm).toBe("HS256");
    expect(config.keys.signingKey.type).toBe("secret"); // a KeyObject, built once
  });

  it("turns the per-user cut-off on with JWT_USER_CUTOFF=1", () => {
    const config = readConfig({
      DATA_DIR: tempDir(),
      JWT_SECRET: strongSecret,
      JWT_USER_CUTOFF: "1",
    });
    expect(config.userCutoff).toBe(true);
  });

  it("generates a development secret once into DATA_DIR and reuses it", () => {
    const dataDir = tempDir();
    const first = readConfig({ DATA_DIR: dataDir });
    const second = readConfig({ DATA_DIR: dataDir });
    expect(readFileSync(join(dataDir, "jwt-hs256-secret"), "utf8")).toHaveLength(43);
    expect(first.keys.signingKey.equals(second.keys.signingKey)).toBe(true);
  });

  it("generates a development ES256 pair once, in two files", () => {
    const dataDir = tempDir();
    const config = readConfig({ DATA_DIR: dataDir, JWT_ALG: "ES256" });
    expect(config.keys.verificationKey.type).toBe("public");
    expect(readFileSync(join(dataDir, "jwt-es256-public.pem"), "utf8")).toContain(
      "BEGIN PUBLIC KEY",
    );
    expect(
      readConfig({ DATA_DIR: dataDir, JWT_ALG: "ES256" }).keys.verificationKey.equals(
        config.keys.verificationKey,
      ),
    ).toBe(true);
  });

  it("refuses to start in production without a secret or key pair", () => {
    expect(refusal({ NODE_ENV: "production" })).toMatch(
      /JWT_SECRET is required when NODE_ENV=production/,
    );
    expect(refusal({ NODE_ENV: "production", JWT_ALG: "ES256" })).toMatch(
      /JWT_PRIVATE_KEY and JWT_PUBLIC_KEY/,
    );
  });

  it("refuses a short or repetitive secret, in any environment", () => {
    expect(refusal({ JWT_SECRET: "too-short" })).toMatch(/at least 32 bytes/);
    expect(refusal({ JWT_SECRET: "a".repeat(64) })).toMatch(/at least 32 bytes/);
    expect(refusal({ NODE_ENV: "production", JWT_SECRET: "secret".repeat(3) })).toMatch(
      /at least 32 bytes/,
    );
  });

  it("accepts an ES256 pair from PEM, also with \\n escapes, and refuses a mismatched or wrong one", () => {
    const pair = pemPair();
    const escaped = {
      JWT_ALG: "ES256",
      JWT_PRIVATE_KEY: pair.JWT_PRIVATE_KEY.replaceAll("\n", "\\n"),
      JWT_PUBLIC_KEY: pair.JWT_PUBLIC_KEY,
    };
    expect(readConfig({ DATA_DIR: tempDir(), ...escaped }).keys.algorithm).toBe("ES256");
    expect(
      refusal({ JWT_ALG: "ES256", ...pair, JWT_PUBLIC_KEY: pemPair().JWT_PUBLIC_KEY }),
    ).toMatch(/not the public half/);
    expect(refusal({ JWT_ALG: "ES256", ...pair, JWT_PRIVATE_KEY: "nope" })).toMatch(
      /JWT_PRIVATE_KEY is not a readable PEM/,
    );
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsaPair = {
      JWT_PRIVATE_KEY: rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      JWT_PUBLIC_KEY: rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    expect(refusal({ JWT_ALG: "ES256", ...rsaPair })).toMatch(/P-256/);
    expect(refusal({ JWT_ALG: "ES256", JWT_PRIVATE_KEY: pair.JWT_PRIVATE_KEY })).toMatch(
      /needs both/,
    );
  });

  it("keeps token state in the shop's database by default, and refuses another database", () => {
    const postgres = { SHOP_STORE: "postgres", DATABASE_URL: "postgres://127.0.0.1/shop" };
    const env = { DATA_DIR: tempDir(), JWT_SECRET: strongSecret, ...postgres };
    expect(readConfig(env).stateStore).toBe("postgres");
    expect(refusal({ ...env, JWT_STATE_STORE: "sqlite" })).toMatch(
      /JWT_STATE_STORE=sqlite .* set SHOP_STORE=sqlite/,
    );
    expect(refusal({ JWT_SECRET: strongSecret, JWT_STATE_STORE: "postgres" })).toMatch(
      /JWT_STATE_STORE=postgres .* set SHOP_STORE=postgres with DATABASE_URL/,
    );
    expect(refusal({ JWT_SECRET: strongSecret, SHOP_STORE: "postgres" })).toMatch(
      /SHOP_STORE=postgres needs DATABASE_URL/,
    );
  });

  it("refuses settings that contradict each other or are out of range", () => {
    expect(refusal({ JWT_ALG: "RS256" })).toMatch(/JWT_ALG must be one of HS256, ES256/);
    expect(refusal({ JWT_ALG: "none" })).toMatch(/JWT_ALG must be one of/);
    expect(refusal({ JWT_SECRET: strongSecret, ...pemPair() })).toMatch(/for JWT_ALG=ES256/);
    expect(refusal({ JWT_ALG: "ES256", JWT_SECRET: strongSecret, ...pemPair() })).toMatch(
      /JWT_SECRET is for JWT_ALG=HS256/,
    );
    expect(refusal({ JWT_SECRET: strongSecret, ACCESS_TOKEN_TTL_SECONDS: "15m" })).toMatch(
      /ACCESS_TOKEN_TTL_SECONDS/,
    );
    expect(refusal({ JWT_SECRET: strongSecret, ACCESS_TOKEN_TTL_SECONDS: "31536000" })).toMatch(
      /at most 86400/,
    );
    expect(
      refusal({
        JWT_SECRET: strongSecret,
        REFRESH_TOKEN_TTL_SECONDS: "86400",
        REFRESH_ABSOLUTE_TIMEOUT_SECONDS: "3600",
      }),
    ).toMatch(/REFRESH_ABSOLUTE_TIMEOUT_SECONDS must be at least REFRESH_TOKEN_TTL_SECONDS/);
    expect(refusal({ JWT_SECRET: strongSecret, REFRESH_ABSOLUTE_TIMEOUT_SECONDS: "0" })).toMatch(
      /REFRESH_ABSOLUTE_TIMEOUT_SECONDS/,
    );
    expect(refusal({ JWT_SECRET: strongSecret, JWT_DENYLIST: "yes" })).toMatch(
      /JWT_DENYLIST must be 1 or 0/,
    );
    expect(refusal({ JWT_SECRET: strongSecret, JWT_USER_CUTOFF: "on" })).toMatch(
      /JWT_USER_CUTOFF must be 1 or 0/,
    );
    expect(refusal({ JWT_SECRET: strongSecret, JWT_STATE_STORE: "redis" })).toMatch(
      /needs REDIS_URL/,
    );
    expect(refusal({ JWT_SECRET: strongSecret, CSRF_TRUSTED_ORIGINS: "shop.example" })).toMatch(
      /CSRF_TRUSTED_ORIGINS/,
    );
  });
});
