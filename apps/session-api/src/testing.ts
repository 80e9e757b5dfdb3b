// Test helpers: an app on a throwaway store, and the few steps every test repeats.
import { randomUUID } from "node:crypto";
import { apiPrefix, sessionCookieName } from "@repo/contract";
import { LoginThrottle } from "@repo/shop";
import { alice, redisUrlForTests } from "@repo/shop/testing";
import {
  insecureFastScryptParamsForTests,
  type OpenedShopStore,
  openSqliteStore,
} from "@repo/store";
import { openPostgresTestStore, postgresUrlForTests } from "@repo/store/testing";
import { sign } from "cookie-signature";
import type { Express } from "express";
import request from "supertest";
import { expect } from "vitest";
import { type AppDeps, createApp } from "./app";
import type { SessionStoreKind } from "./config";
import { openSessionStore, type SessionStoreHandle } from "./session-stores";
import { openSwitchableSessionStore } from "./switchable-session-store";

export const P = apiPrefix.session;
export const testSecret = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
export { alice, bob, sam } from "@repo/shop/testing";
/** The PostgreSQL the tests may use, or undefined (then they skip); CI must set DATABASE_URL. */
export const postgresUrl = postgresUrlForTests();

/**
 * Where a flow test keeps the shop and its sessions: SQLite always, PostgreSQL too when
 * DATABASE_URL is set; otherwise one printed line says that `suite` skipped PostgreSQL.
 */
export function storeKindsForTests(suite: string): ("sqlite" | "postgres")[] {
  return postgresUrlForTests(suite) ? ["sqlite", "postgres"] : ["sqlite"];
}

/** The Redis the tests may use, or undefined (then they skip); CI must set REDIS_URL. */
export const redisUrl = redisUrlForTests();

export const testConfig: AppDeps["config"] = {
  isProduction: false,
  host: "127.0.0.1",
  demoMode: true,
  trustProxy: undefined,
  sessionSecrets: [testSecret],
  sessionIdleTimeoutMs: 30 * 60 * 1000, // 30 minutes
  sessionAbsoluteTimeoutMs: 2 * 60 * 60 * 1000, // 2 hours
  trustedOrigins: [],
  instanceName: "test-1",
};

export interface TestApp {
  app: Express;
  store: OpenedShopStore;
  sessions: SessionStoreHandle;
  /** The start of this app's Redis keys, so tests never touch the real `sess:` keys. */
  redisPrefix: string;
  close(): Promise<void>;
}

/** A Redis key prefix no other test run uses. */
export const testRedisPrefix = () => `sess-test-${randomUUID()}:`;

/**
 * Opens a store (":memory:" unless a file is given; with `kind: "postgres"`, a fresh schema of
 * `postgresUrl`, DATABASE_URL by default, which `close` drops), a session store and the app. With Redis,
 * sessions go under a fresh prefix whose keys `close` deletes, unless the caller passes its own
 * `redisPrefix` (to restart on the same keys) and then owns their cleanup (`clearSessions`).
 */
export async function startTestApp(
  options: {
    kind?: SessionStoreKind;
    file?: string;
    /** DATABASE_URL, or a TCP proxy in front of it, for `kind: "postgres"`. */
    postgresUrl?: string;
    redisUrl?: string;
    redisPrefix?: string;
    /** Open the store the demo settings can switch at run time, as demo mode does. */
    switchable?: boolean;
    config?: Partial<AppDeps["config"]>;
    throttle?: LoginThrottle;
    now?: () => number;
  } = {},
): Promise<TestApp> {
  const kind = options.kind ?? "sqlite";
  // Sessions in PostgreSQL live in the shop's database, as SESSION_STORE=postgres requires.
  const pgUrl = options.postgresUrl ?? postgresUrl;
  if (kind === "postgres" && !pgUrl) throw new Error("a postgres test app needs DATABASE_URL");
  const store =
    kind === "postgres" && pgUrl
      ? await openPostgresTestStore(pgUrl, "session_api")
      : await openSqliteStore({
          file: options.file ?? ":memory:",
          scrypt: insecureFastScryptParamsForTests,
        });
  const redisPrefix = options.redisPrefix ?? testRedisPrefix();
  const open = options.switchable ? openSwitchableSessionStore : openSessionStore;
  const sessions = await open(kind, {
    database: store.kind === "sqlite" ? store.database : undefined,
    postgres: store.kind === "postgres" ? store.database : undefined,
    redisUrl: options.redisUrl,
    redisPrefix,
    log: () => {},
  });
  const app = createApp({
    config: { ...testConfig, ...options.config },
    store,
    sessions,
    throttle: options.throttle ?? new LoginThrottle(),
    now: options.now,
    log: () => {},
  });
  const ownsRedisKeys = sessions.kind === "redis" && options.redisPrefix === undefined;
  return {
    app,
    store,
    sessions,
    redisPrefix,
    async close() {
      if (ownsRedisKeys) await clearSessions(sessions);
      await sessions.close();
      await store.close();
    },
  };
}

/** Deletes every session of a store; with Redis, only the keys under its own prefix. */
export function clearSessions({ store }: SessionStoreHandle): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!store.clear) throw new Error("this session store cannot be cleared");
    store.clear((error?: unknown) => (error ? reject(error) : resolve()));
  });
}

/** The `sid` Set-Cookie header of a response, if any. */
export function sidSetCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const setCookie = res.headers["set-cookie"];
  const all = Array.isArray(setCookie) ? (setCookie as string[]) : [];
  return all.find((line) => line.startsWith(`${sessionCookieName}=`));
}

/** The session id inside a signed `sid` Set-Cookie line. */
export function sessionIdOf(setCookie: string | undefined): string {
  const value = decodeURIComponent(setCookie?.split(";")[0]?.split("=")[1] ?? "");
  expect(value.startsWith("s:")).toBe(true);
  return value.slice(2, value.lastIndexOf("."));
}

/** A Cookie header carrying `id` signed the way express-session signs it. */
export function signedSidCookie(id: string, secret = testSecret): string {
  return `${sessionCookieName}=${encodeURIComponent(`s:${sign(id, secret)}`)}`;
}

/** Logs in with a fresh cookie jar; returns the agent, its CSRF token and its session id. */
export async function loginAgent(app: Express, credentials = alice) {
  const agent = request.agent(app);
  const res = await agent.post(`${P}/auth/login`).send(credentials).expect(200);
  return {
    agent,
    csrfToken: res.body.csrfToken as string,
    sessionId: sessionIdOf(sidSetCookie(res)),
    userId: res.body.user.id as string,
  };
}

/** A session as the store holds it, or undefined. */
export function storedSession(sessions: SessionStoreHandle, id: string) {
  return new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
    sessions.store.get(id, (error, data) =>
      error ? reject(error) : resolve((data ?? undefined) as Record<string, unknown> | undefined),
    );
  });
}
