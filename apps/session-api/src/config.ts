import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  ConfigError,
  type Env,
  isWeakSecret,
  loadOrCreateDevSecret,
  minSecretBytes,
  readChoice,
  readPositiveInt,
  readServerConfig,
  type ServerConfig,
} from "@repo/shop";

export const sessionStoreKinds = ["memory", "sqlite", "redis"] as const;
export type SessionStoreKind = (typeof sessionStoreKinds)[number];

/** Everything the session backend needs to know, read once at start. */
export interface SessionApiConfig extends ServerConfig {
  sessionStore: SessionStoreKind;
  /** Secrets that sign the `sid` cookie, newest first: the first signs, all of them verify. */
  sessionSecrets: string[];
  /** A session unused for this long is dead (the cookie's max age, renewed on each request). */
  sessionIdleTimeoutMs: number;
  /** A session older than this is dead however busy it is, so a stolen id cannot live forever. */
  sessionAbsoluteTimeoutMs: number;
}

/** OWASP Session Management Cheat Sheet: 15-30 minutes idle, 4-8 hours absolute, for most apps. */
export const defaultSessionIdleTimeoutSeconds = 30 * 60; // 30 minutes
export const defaultSessionAbsoluteTimeoutSeconds = 8 * 60 * 60; // 8 hours

/** Reads and checks the environment; throws a ConfigError that says what to fix. */
export function readConfig(env: Env): SessionApiConfig {
  const server = readServerConfig(env, { port: 4001 });
  const sessionStore = readChoice(env, "SESSION_STORE", sessionStoreKinds, "sqlite");
  if (sessionStore === "redis" && !server.redisUrl) {
    throw new ConfigError("SESSION_STORE=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379.");
  }
  const idleSeconds = readPositiveInt(
    env,
    "SESSION_IDLE_TIMEOUT_SECONDS",
    defaultSessionIdleTimeoutSeconds,
  );
  const absoluteSeconds = readPositiveInt(
    env,
    "SESSION_ABSOLUTE_TIMEOUT_SECONDS",
    defaultSessionAbsoluteTimeoutSeconds,
  );
  if (absoluteSeconds < idleSeconds) {
    throw new ConfigError(
      "SESSION_ABSOLUTE_TIMEOUT_SECONDS must be at least SESSION_IDLE_TIMEOUT_SECONDS.",
    );
  }
  return {
    ...server,
    sessionStore,
    sessionSecrets: readSessionSecrets(env, server),
    sessionIdleTimeoutMs: idleSeconds * 1000,
    sessionAbsoluteTimeoutMs: absoluteSeconds * 1000,
  };
}

/**
 * SESSION_SECRET is a comma-separated list, newest first. To rotate, put a new secret in front
 * and keep the old one until the sessions it signed have expired. In development a missing
 * secret is generated once into DATA_DIR, so a restart does not log everyone out; in
 * production it must be given, because a generated one would differ per machine.
 */
function readSessionSecrets(env: Env, server: ServerConfig): string[] {
  const raw = env.SESSION_SECRET;
  if (raw === undefined || raw === "") {
    if (server.isProduction) {
      throw new ConfigError(
        "SESSION_SECRET is required when NODE_ENV=production. Generate one with: " +
          `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
      );
    }
    const path = join(server.dataDir, "session-secret");
    return [loadOrCreateDevSecret(path, () => randomBytes(32).toString("base64url")).trim()];
  }
  const secrets = raw.split(",").map((secret) => secret.trim());
  for (const [index, secret] of secrets.entries()) {
    if (isWeakSecret(secret)) {
      throw new ConfigError(
        `SESSION_SECRET entry ${index + 1} is too weak: use at least ${minSecretBytes} random ` +
          "bytes, e.g. the base64url of crypto.randomBytes(32). Separate several with commas.",
      );
    }
  }
  return secrets;
}
