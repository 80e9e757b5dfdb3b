// The rows of the bench: each backend configuration that gets a server of its own.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { apiPrefix } from "@repo/contract";
import { appEntry } from "./servers";

export interface Mode {
  /** As printed in the table, e.g. "session (SQLite)". */
  name: string;
  family: "session" | "jwt";
  entry: string;
  prefix: string;
  env: Record<string, string>;
  /** A service this mode cannot run without; the row is skipped, with the reason, if it is absent. */
  needs?: "redis" | "postgres";
  /**
   * Where the shop's users, products and carts live (SHOP_STORE). The baseline it is compared
   * with uses the same, so the ratio holds the cost of the session or token and nothing else.
   */
  shopStore: ShopStoreKind;
}

export type ShopStoreKind = "sqlite" | "postgres";

/** The environment that puts a server's shop rows in `kind`. */
export function shopStoreEnv(
  kind: ShopStoreKind,
  databaseUrl: string | undefined,
): Record<string, string> {
  return kind === "postgres" && databaseUrl
    ? { SHOP_STORE: "postgres", DATABASE_URL: databaseUrl }
    : {};
}

/** What every server of one run shares: the data directory and the services found (with
 * `databaseUrl` pointing at a schema of this run's own). */
export interface ModeSettings {
  dataDir: string;
  redisUrl: string | undefined;
  databaseUrl: string | undefined;
}

/**
 * Every mode of the table. The secrets are random per run and passed in, so no development
 * secret file is written; ES256 gets a P-256 key pair made here, as production would pass one.
 */
export function benchModes(settings: ModeSettings): Mode[] {
  const shared: Record<string, string> = {
    DATA_DIR: settings.dataDir,
    // Demo mode off, as in production: no trace header, no demo endpoints. NODE_ENV stays unset,
    // since production would refuse the memory session store and require HTTPS cookies.
    DEMO_MODE: "0",
  };

  const session = (name: string, store: string, needs?: Mode["needs"]): Mode => {
    // PostgreSQL sessions live in the shop's own PostgreSQL database, so the shop moves too.
    const shopStore: ShopStoreKind = store === "postgres" ? "postgres" : "sqlite";
    return {
      name,
      family: "session",
      entry: appEntry("session-api"),
      prefix: apiPrefix.session,
      env: {
        ...shared,
        ...shopStoreEnv(shopStore, settings.databaseUrl),
        // Only the Redis mode gets REDIS_URL: with it a server also counts login attempts in
        // Redis, which is shared with everything else on the machine.
        ...(store === "redis" && settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
        SESSION_STORE: store,
        SESSION_SECRET: randomBytes(32).toString("base64url"),
      },
      shopStore,
      ...(needs ? { needs } : {}),
    };
  };

  const hs256 = { JWT_ALG: "HS256", JWT_SECRET: randomBytes(32).toString("base64url") };
  const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const es256 = {
    JWT_ALG: "ES256",
    JWT_PRIVATE_KEY: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    JWT_PUBLIC_KEY: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
  const jwt = (name: string, keys: Record<string, string>, denylist: boolean): Mode => ({
    name,
    family: "jwt",
    entry: appEntry("jwt-api"),
    prefix: apiPrefix.jwt,
    env: { ...shared, ...keys, JWT_DENYLIST: denylist ? "1" : "0" },
    shopStore: "sqlite",
  });

  return [
    session("session (memory)", "memory"),
    session("session (SQLite)", "sqlite"),
    session("session (Redis)", "redis", "redis"),
    session("session (PostgreSQL)", "postgres", "postgres"),
    jwt("JWT HS256", hs256, false),
    jwt("JWT HS256 + denylist in SQLite", hs256, true),
    jwt("JWT ES256", es256, false),
    jwt("JWT ES256 + denylist in SQLite", es256, true),
  ];
}

/** A mode's name as BENCH_ROWS spells it: "session (SQLite)" is `session-sqlite`. */
export function modeSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * The modes BENCH_ROWS names (comma-separated slugs, e.g. `session-sqlite,jwt-hs256`), for a
 * quick run while changing a backend; unset or empty, all of them. A name that matches no mode
 * stops the run, so a typo never passes for a quick result.
 */
export function selectModes<Named extends { name: string }>(
  modes: readonly Named[],
  rows: string | undefined,
): Named[] {
  const wanted = (rows ?? "")
    .split(",")
    .map((row) => row.trim())
    .filter((row) => row !== "");
  if (wanted.length === 0) return [...modes];
  const slugs = modes.map((mode) => modeSlug(mode.name));
  const unknown = wanted.filter((row) => !slugs.includes(row));
  if (unknown.length > 0) {
    throw new Error(`BENCH_ROWS: no mode ${unknown.join(", ")}; the modes are ${slugs.join(", ")}`);
  }
  return modes.filter((mode) => wanted.includes(modeSlug(mode.name)));
}
