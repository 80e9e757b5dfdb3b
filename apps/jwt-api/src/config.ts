import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import {
  ConfigError,
  type Env,
  loadOrCreateDevSecret,
  readChoice,
  readFlag,
  readPositiveInt,
  readSecret,
  readServerConfig,
  requireRedisUrl,
  requireShopStore,
  type ServerConfig,
} from "@repo/shop";
import { createTokenKeys, type KeyMaterial, type TokenKeys, tokenAlgorithms } from "./keys";

/** Everything jwt-api reads from the environment, validated once at start (docs/api.md). */
export interface JwtApiConfig extends ServerConfig {
  keys: TokenKeys;
  accessTokenTtlSeconds: number;
  /** A refresh token unused this long dies; each rotation starts the time again. */
  refreshTokenTtlSeconds: number;
  /** A login's refresh tokens all end this long after login, however often they rotate. */
  refreshAbsoluteTimeoutSeconds: number;
  /** JWT_DENYLIST=1: a logged-out access token is refused at once, not only at its `exp`. */
  denylist: boolean;
  /**
   * JWT_USER_CUTOFF=1: each request loads the account, and a token issued before its cut-off
   * (role change, disabling, password change, log out everywhere) is refused at once.
   */
  userCutoff: boolean;
  /** JWT_STATE_STORE: the shop's own database (its kind, by default) or Redis. */
  stateStore: "sqlite" | "redis" | "postgres";
}

const maxAccessTokenTtlSeconds = 24 * 60 * 60; // 1 day: past that, logout means nothing for too long

/** Reads and checks the environment; throws a ConfigError that names the variable and the fix. */
export function readConfig(env: Env): JwtApiConfig {
  const server = readServerConfig(env, { port: 4002 });
  const accessTokenTtlSeconds = readPositiveInt(env, "ACCESS_TOKEN_TTL_SECONDS", 15 * 60); // 15 minutes
  if (accessTokenTtlSeconds > maxAccessTokenTtlSeconds) {
    throw new ConfigError(
      `ACCESS_TOKEN_TTL_SECONDS must be at most ${maxAccessTokenTtlSeconds}: an access token cannot be called back, so keep it short and let the refresh token do the rest.`,
    );
  }
  const stateStores = ["sqlite", "redis", "postgres"] as const;
  const stateStore = readChoice(env, "JWT_STATE_STORE", stateStores, server.shopStore.kind);
  if (stateStore === "redis") requireRedisUrl(server, "JWT_STATE_STORE=redis");
  else requireShopStore(server, `JWT_STATE_STORE=${stateStore}`, stateStore);
  const refreshTokenTtlSeconds = readPositiveInt(
    env,
    "REFRESH_TOKEN_TTL_SECONDS",
    7 * 24 * 60 * 60, // 7 days
  );
  const refreshAbsoluteTimeoutSeconds = readPositiveInt(
    env,
    "REFRESH_ABSOLUTE_TIMEOUT_SECONDS",
    30 * 24 * 60 * 60, // 30 days: a device used weekly rarely asks for the password again
  );
  if (refreshAbsoluteTimeoutSeconds < refreshTokenTtlSeconds) {
    throw new ConfigError(
      "REFRESH_ABSOLUTE_TIMEOUT_SECONDS must be at least REFRESH_TOKEN_TTL_SECONDS: it is the longest a login can last, however often its refresh token is used.",
    );
  }
  return {
    ...server,
    keys: createTokenKeys(readKeyMaterial(env, server)),
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds,
    refreshAbsoluteTimeoutSeconds,
    denylist: readFlag(env, "JWT_DENYLIST", false),
    userCutoff: readFlag(env, "JWT_USER_CUTOFF", false),
    stateStore,
  };
}

/** The secret or key pair: from the environment, or in development generated once into DATA_DIR. */
function readKeyMaterial(env: Env, server: ServerConfig): KeyMaterial {
  const algorithm = readChoice(env, "JWT_ALG", tokenAlgorithms, "HS256");
  const secret = env.JWT_SECRET || undefined;
  const privateKeyPem = readPem(env, "JWT_PRIVATE_KEY");
  const publicKeyPem = readPem(env, "JWT_PUBLIC_KEY");

  if (algorithm === "HS256") {
    if (privateKeyPem || publicKeyPem) {
      throw new ConfigError(
        "JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are for JWT_ALG=ES256; set it, or unset them.",
      );
    }
    return { algorithm, secret: readSecret(env, "JWT_SECRET", server, "jwt-hs256-secret") };
  }

  if (secret) throw new ConfigError("JWT_SECRET is for JWT_ALG=HS256; with ES256 unset it.");
  if (privateKeyPem && publicKeyPem) return { algorithm, privateKeyPem, publicKeyPem };
  if (privateKeyPem || publicKeyPem || server.isProduction) {
    throw new ConfigError(
      "JWT_ALG=ES256 needs both JWT_PRIVATE_KEY and JWT_PUBLIC_KEY (PEM), e.g. from `openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt`.",
    );
  }
  // Development: one P-256 pair, kept in two files so a restart keeps tokens valid.
  const devPrivateKeyPem = loadOrCreateDevSecret(
    join(server.dataDir, "jwt-es256-private.pem"),
    () =>
      generateKeyPairSync("ec", { namedCurve: "P-256" })
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString(),
  );
  const devPublicKeyPem = loadOrCreateDevSecret(join(server.dataDir, "jwt-es256-public.pem"), () =>
    createPublicKey(devPrivateKeyPem).export({ type: "spki", format: "pem" }).toString(),
  );
  return { algorithm, privateKeyPem: devPrivateKeyPem, publicKeyPem: devPublicKeyPem };
}

/** A PEM from one environment variable; `\n` escapes are accepted, as many hosts need them. */
function readPem(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw ? raw.replaceAll("\\n", "\n") : undefined;
}
