import {
  ConfigError,
  type Env,
  isWeakSecret,
  minSecretBytes,
  readChoice,
  readPositiveInt,
  readSecret,
  readServerConfig,
  requireRedisUrl,
  requireShopStore,
  type ServerConfig,
} from "@repo/shop";

const sessionStoreKinds = ["memory", "sqlite", "redis", "postgres"] as const;
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
const defaultSessionIdleTimeoutSeconds = 30 * 60; // 30 minutes
const defaultSessionAbsoluteTimeoutSeconds = 8 * 60 * 60; // 8 hours

/** Reads and checks the environment; throws a ConfigError that says what to fix. */
export function readConfig(env: Env): SessionApiConfig {
  const server = readServerConfig(env, { port: 4001 });
  // By default sessions live beside the shop's rows: its SQLite file or its PostgreSQL database.
  const sessionStore = readChoice(env, "SESSION_STORE", sessionStoreKinds, server.shopStore.kind);
  if (sessionStore === "redis") requireRedisUrl(server, "SESSION_STORE=redis");
  if (sessionStore === "sqlite" || sessionStore === "postgres") {
    requireShopStore(server, `SESSION_STORE=${sessionStore}`, sessionStore);
  }
  if (sessionStore === "memory" && server.isProduction) {
    // express-session's README: MemoryStore "will leak memory under most conditions, does not
    // scale past a single process, and is meant for debugging and developing."
    throw new ConfigError(
      "SESSION_STORE=memory is for the local demo only: express-session's MemoryStore leaks " +
        "memory, serves one process and forgets every session at a restart. Use sqlite, redis or postgres.",
    );
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
 * and keep the old one until the sessions it signed have expired. Unset, it is generated once
 * in development and required in production (`readSecret`).
 */
function readSessionSecrets(env: Env, server: ServerConfig): string[] {
  const secrets = readSecret(env, "SESSION_SECRET", server, "session-secret")
    .split(",")
    .map((secret) => secret.trim());
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
