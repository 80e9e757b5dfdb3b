import { randomBytes } from "node:crypto";
import { isIPv4 } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ShopStoreLocation } from "@repo/store";
import { loadOrCreateDevSecret } from "./dev-secrets";

/** A setting that cannot start the server; its message names the variable and the fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The environment as a plain record, so config readers are easy to test. */
export type Env = Readonly<Record<string, string | undefined>>;

/** `.data/` at the repository root: the SQLite file and development secrets live there. */
export const defaultDataDir = fileURLToPath(new URL("../../../.data", import.meta.url));

/** The settings both backends read the same way (docs/api.md, "Configuration"). */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** The SQLite file both backends share, so alice's cart is one cart whichever way she logs in. */
  databaseFile: string;
  /** SHOP_STORE: that SQLite file (the default), or PostgreSQL at DATABASE_URL. */
  shopStore: ShopStoreLocation;
  isProduction: boolean;
  /** The demo endpoints and trace header; on a non-loopback HOST only with DEMO_ALLOW_NETWORK=1. */
  demoMode: boolean;
  /** Express `trust proxy`: a hop count or addresses; unset unless TRUST_PROXY says so. */
  trustProxy: number | string | undefined;
  redisUrl: string | undefined;
  /** Origins besides the server's own that may send cookie-carrying unsafe requests
   * (CSRF_TRUSTED_ORIGINS), for a proxy that rewrites Host. */
  trustedOrigins: string[];
  /** INSTANCE_NAME: which process answered, sent as `X-Instance` on every response. */
  instanceName: string;
}

export function readPort(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, not "${raw}".`);
  }
  return port;
}

export function readFlag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "1" || raw === "true") return true;
  if (raw === "0" || raw === "false") return false;
  throw new ConfigError(`${name} must be 1 or 0, not "${raw}".`);
}

export function readChoice<const Choice extends string>(
  env: Env,
  name: string,
  choices: readonly Choice[],
  fallback: Choice,
): Choice {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const choice = choices.find((candidate) => candidate === raw);
  if (!choice) throw new ConfigError(`${name} must be one of ${choices.join(", ")}, not "${raw}".`);
  return choice;
}

export function readPositiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a whole number above 0, not "${raw}".`);
  }
  return value;
}

/**
 * TRUST_PROXY: how many proxies stand in front (`1`), or their addresses (`loopback`,
 * `10.0.0.1`). Never `true`: trusting every hop lets any client forge X-Forwarded-For, and with
 * it the address the login throttle counts and the scheme that decides Secure cookies.
 */
function readTrustProxy(env: Env): ServerConfig["trustProxy"] {
  const raw = env.TRUST_PROXY;
  if (raw === undefined || raw === "" || raw === "false" || raw === "0") return undefined;
  if (raw === "true") {
    throw new ConfigError(
      "TRUST_PROXY=true would trust a forged X-Forwarded-For; give the number of proxies in " +
        "front (e.g. 1) or their addresses (e.g. loopback).",
    );
  }
  const hops = Number(raw);
  return Number.isInteger(hops) && hops > 0 ? hops : raw;
}

/** Whether only this machine can reach `host`: localhost, 127.0.0.0/8 or ::1. */
function isLoopback(host: string): boolean {
  const address = host.replace(/^::ffff:/i, ""); // an IPv4 address written as IPv6
  if (host === "localhost" || address === "::1") return true;
  return isIPv4(address) && address.startsWith("127.");
}

function readRedisUrl(env: Env): string | undefined {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === "") return undefined;
  if (!/^rediss?:\/\//.test(raw)) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://.`);
  }
  return raw;
}

/** SHOP_STORE and DATABASE_URL. DATABASE_URL alone changes nothing: SQLite stays the default. */
function readShopStore(env: Env, databaseFile: string): ShopStoreLocation {
  const kind = readChoice(env, "SHOP_STORE", ["sqlite", "postgres"], "sqlite");
  if (kind === "sqlite") return { kind, file: databaseFile };
  const url = env.DATABASE_URL;
  if (!url) {
    throw new ConfigError(
      "SHOP_STORE=postgres needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/shop.",
    );
  }
  // Never echo the URL: it may hold a password.
  if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) {
    throw new ConfigError("DATABASE_URL must be a URL starting with postgres:// or postgresql://.");
  }
  return { kind, url };
}

/** Reads the shared settings once, at start; throws a ConfigError with a readable message. */
export function readServerConfig(env: Env, defaults: { port: number }): ServerConfig {
  const isProduction = env.NODE_ENV === "production";
  const dataDir = env.DATA_DIR || defaultDataDir;
  const host = env.HOST || "127.0.0.1";
  const demoMode = readFlag(env, "DEMO_MODE", !isProduction);
  if (demoMode && !isLoopback(host) && !readFlag(env, "DEMO_ALLOW_NETWORK", false)) {
    throw new ConfigError(
      `Demo mode is on and HOST=${host} can be reached from other machines, which could then ` +
        "read the demo state (who is logged in) and the trace headers. Bind HOST=127.0.0.1, " +
        "turn demo mode off with DEMO_MODE=0, or, for a workshop room where everyone may see " +
        "them, set DEMO_ALLOW_NETWORK=1.",
    );
  }
  const port = readPort(env, "PORT", defaults.port);
  return {
    port,
    host,
    dataDir,
    databaseFile: join(dataDir, "shop.sqlite"),
    shopStore: readShopStore(env, join(dataDir, "shop.sqlite")),
    isProduction,
    demoMode,
    trustProxy: readTrustProxy(env),
    redisUrl: readRedisUrl(env),
    trustedOrigins: readTrustedOrigins(env),
    instanceName: readInstanceName(env, port),
  };
}

/**
 * INSTANCE_NAME, or else the port, which the client knows already: the default tells nobody
 * anything about the machine. `npm run start:cluster` names each worker it starts.
 */
function readInstanceName(env: Env, port: number): string {
  const name = env.INSTANCE_NAME || String(port);
  // It goes into a response header: only characters that need no quoting there.
  if (!/^[\w.:@-]{1,64}$/.test(name)) {
    throw new ConfigError(
      `INSTANCE_NAME must be 1 to 64 letters, digits or "._:@-", not "${name}".`,
    );
  }
  return name;
}

/** A secret shorter than this many bytes is refused: 32 random bytes (256 bits) cannot be guessed. */
export const minSecretBytes = 32;

/** Too short, or so repetitive ("aaaa…", "0000…") that it cannot have come from a random source. */
export function isWeakSecret(secret: string): boolean {
  return Buffer.byteLength(secret, "utf8") < minSecretBytes || new Set(secret).size < 10;
}

/** CSRF_TRUSTED_ORIGINS: comma-separated origins such as `https://shop.example`. */
function readTrustedOrigins(env: Env): string[] {
  const raw = env.CSRF_TRUSTED_ORIGINS;
  if (raw === undefined || raw === "") return [];
  return raw.split(",").map((entry) => {
    const origin = entry.trim();
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new ConfigError(
        `CSRF_TRUSTED_ORIGINS must list origins like https://shop.example, not "${origin}".`,
      );
    }
    return origin;
  });
}

/**
 * A secret from `env[name]`. When unset: in development, 32 random bytes generated once into
 * DATA_DIR/`devFileName`, so a restart keeps sessions and tokens valid; in production, a
 * ConfigError, since a generated secret would differ per machine and vanish with it. Its
 * strength is the caller's to check, with `isWeakSecret`.
 */
export function readSecret(
  env: Env,
  name: string,
  server: Pick<ServerConfig, "isProduction" | "dataDir">,
  devFileName: string,
): string {
  const raw = env[name];
  if (raw !== undefined && raw !== "") return raw;
  if (server.isProduction) {
    throw new ConfigError(
      `${name} is required when NODE_ENV=production: at least ${minSecretBytes} random bytes, ` +
        "e.g. `openssl rand -base64 48`.",
    );
  }
  const path = join(server.dataDir, devFileName);
  return loadOrCreateDevSecret(path, () => randomBytes(32).toString("base64url")).trim();
}

/**
 * A state store kept in the shop's own database (`SESSION_STORE=sqlite` or `postgres`, the same
 * for `JWT_STATE_STORE`) shares the shop's connection, so SHOP_STORE must name that database.
 */
export function requireShopStore(
  server: Pick<ServerConfig, "shopStore">,
  setting: string,
  kind: ShopStoreLocation["kind"],
): void {
  if (server.shopStore.kind === kind) return;
  throw new ConfigError(
    `${setting} keeps its rows in the shop's own database, which is ${server.shopStore.kind} ` +
      `(SHOP_STORE): set SHOP_STORE=${kind}${kind === "postgres" ? " with DATABASE_URL" : ""}, ` +
      "or choose another store.",
  );
}

/** A setting that chose Redis (`SESSION_STORE=redis`, …) needs REDIS_URL to go with it. */
export function requireRedisUrl(server: Pick<ServerConfig, "redisUrl">, setting: string): void {
  if (!server.redisUrl) {
    throw new ConfigError(`${setting} needs REDIS_URL, e.g. redis://127.0.0.1:6379.`);
  }
}
