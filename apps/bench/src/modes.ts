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
}

/** What every server of one run shares: the data directory and the services found. */
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
  if (settings.redisUrl) shared.REDIS_URL = settings.redisUrl;
  if (settings.databaseUrl) shared.DATABASE_URL = settings.databaseUrl;

  const session = (name: string, store: string, needs?: Mode["needs"]): Mode => ({
    name,
    family: "session",
    entry: appEntry("session-api"),
    prefix: apiPrefix.session,
    env: { ...shared, SESSION_STORE: store, SESSION_SECRET: randomBytes(32).toString("base64url") },
    ...(needs ? { needs } : {}),
  });

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
