// Test helpers: build the app in-process with a cheap password hash and a clock tests can move.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiPrefix, type JwtLoginResponse, refreshCookieName } from "@repo/contract";
import { connectRedis, type Env, type LoginThrottle, type RedisConnection } from "@repo/shop";
import { alice, redisUrlForTests } from "@repo/shop/testing";
import {
  insecureFastScryptParamsForTests,
  type OpenedShopStore,
  openSqliteStore,
} from "@repo/store";
import { openPostgresTestStore, postgresUrlForTests } from "@repo/store/testing";
import type { Express } from "express";
import request from "supertest";
import { createApp } from "./app";
import { type JwtApiConfig, readConfig } from "./config";
import type { TokenStateStore } from "./token-state";
import { createPostgresTokenState } from "./token-state-postgres";
import { createRedisTokenState } from "./token-state-redis";
import { createSqliteTokenState } from "./token-state-sqlite";

export const P = apiPrefix.jwt;
export { alice, bob, listen, sam } from "@repo/shop/testing";

/** A clock that only moves when told to; starts at the real time so Redis TTLs stay sane. */
export function testClock() {
  let nowMs = Date.now();
  return {
    now: () => nowMs,
    advanceSeconds(seconds: number) {
      nowMs += seconds * 1000;
    },
  };
}
export type TestClock = ReturnType<typeof testClock>;

export const tempDir = () => mkdtempSync(join(tmpdir(), "jwt-api-test-"));

/** The Redis the tests may use, or undefined (then they skip); CI must set REDIS_URL. */
export const testRedisUrl = redisUrlForTests();

/** A Redis connection with a key prefix of its own; `cleanup` deletes only that prefix. */
export async function testRedis(url: string) {
  const client = await connectRedis(url);
  const keyPrefix = `jwt-test-${randomUUID()}:`;
  return {
    client,
    keyPrefix,
    async cleanup() {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) {
        keys.push(...batch.map(String));
      }
      if (keys.length > 0) await client.del(keys);
      await client.close();
    },
  };
}

/**
 * The PostgreSQL the tests may use (DATABASE_URL), or undefined: then the PostgreSQL cases skip,
 * and a printed line says so. CI must set DATABASE_URL.
 */
export const testPostgresUrl = postgresUrlForTests("jwt-api's PostgreSQL cases");

export type StateStoreKind = "sqlite" | "redis" | "postgres";

/**
 * The state stores to run a suite against: SQLite always, Redis when REDIS_URL is set, and
 * PostgreSQL (the shop too, in a schema of its own) when DATABASE_URL is set.
 */
export const stateStoreKinds: StateStoreKind[] = [
  "sqlite",
  ...(testRedisUrl ? (["redis"] as const) : []),
  ...(testPostgresUrl ? (["postgres"] as const) : []),
];

export interface TestApp {
  app: Express;
  /** The environment the config was read from (holds JWT_SECRET, for hand-made tokens). */
  env: Env;
  config: JwtApiConfig;
  store: OpenedShopStore;
  tokenState: TokenStateStore;
  clock: TestClock;
  /** Closes the shop store (not a Redis connection passed in). */
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Env;
  /** A SQLite file, to test a restart; ":memory:" by default. */
  file?: string;
  redis?: { client: RedisConnection; keyPrefix: string };
  /** The shop and the token state in PostgreSQL, in a fresh schema of this URL dropped at close. */
  postgresUrl?: string;
  clock?: TestClock;
  /** Where the app's server log lines go; dropped by default. */
  log?: (line: string) => void;
  /** The login throttle, and with it the hashing queue; the app's default otherwise. */
  throttle?: LoginThrottle;
}

/** A fresh app on a fresh store. The HS256 secret is random per run unless `env` sets keys. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const env: Env = {
    DATA_DIR: tempDir(),
    ...(options.env?.JWT_ALG === "ES256"
      ? {}
      : { JWT_SECRET: randomBytes(32).toString("base64url") }),
    ...options.env,
  };
  const config = readConfig(env);
  const store = options.postgresUrl
    ? await openPostgresTestStore(options.postgresUrl, "jwt_api")
    : await openSqliteStore({
        file: options.file ?? ":memory:",
        scrypt: insecureFastScryptParamsForTests,
      });
  let tokenState: TokenStateStore;
  let stopPruning = () => {};
  if (options.redis) {
    tokenState = createRedisTokenState(options.redis.client, options.redis.keyPrefix);
  } else if (store.kind === "postgres") {
    const postgresState = await createPostgresTokenState(store.database, () => {});
    tokenState = postgresState;
    stopPruning = () => postgresState.close();
  } else {
    const sqliteState = await createSqliteTokenState(store.database);
    tokenState = sqliteState;
    stopPruning = () => sqliteState.close();
  }
  const clock = options.clock ?? testClock();
  const app = createApp({
    config,
    store,
    tokenState,
    now: clock.now,
    log: options.log ?? (() => {}),
    ...(options.throttle ? { throttle: options.throttle } : {}),
  });
  async function close() {
    stopPruning();
    await store.close();
  }
  return { app, env, config, store, tokenState, clock, close };
}

/**
 * Runs `body` with an app on the given state store, cleaning up afterwards: Redis keys, or the
 * PostgreSQL schema.
 */
export async function withTestApp(
  kind: StateStoreKind,
  options: Omit<TestAppOptions, "redis" | "postgresUrl">,
  body: (testApp: TestApp) => Promise<void>,
): Promise<void> {
  const redis = kind === "redis" && testRedisUrl ? await testRedis(testRedisUrl) : undefined;
  const postgresUrl = kind === "postgres" ? testPostgresUrl : undefined;
  const testApp = await startTestApp({
    ...options,
    ...(redis ? { redis } : {}),
    ...(postgresUrl ? { postgresUrl } : {}),
  });
  try {
    await body(testApp);
  } finally {
    await testApp.close();
    await redis?.cleanup();
  }
}

export interface LoggedIn extends JwtLoginResponse {
  /** `refresh_token=<value>`, ready for a Cookie header. */
  refreshCookie: string;
  setCookie: string;
}

/** Logs in and returns the body plus the refresh cookie the server set. */
export async function login(
  app: Express,
  who: { username: string; password: string } = alice,
): Promise<LoggedIn> {
  const res = await request(app).post(`${P}/auth/login`).send(who).expect(200);
  const setCookie = refreshSetCookie(res.headers["set-cookie"]);
  return { ...(res.body as JwtLoginResponse), refreshCookie: cookiePair(setCookie), setCookie };
}

/** The Set-Cookie line for the refresh token, or "" if there is none. */
export function refreshSetCookie(header: unknown): string {
  const lines = Array.isArray(header)
    ? header.map(String)
    : typeof header === "string"
      ? [header]
      : [];
  return lines.find((line) => line.startsWith(`${refreshCookieName}=`)) ?? "";
}

export const cookiePair = (setCookie: string) => setCookie.split(";")[0] ?? "";

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

// Hand-made tokens, for the attacks a real client would never send.
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A compact JWS from any header and payload; `key` signs it with HMAC-SHA256, else unsigned. */
export function craftToken(header: object, payload: object, key?: string | Buffer): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = key ? createHmac("sha256", key).update(input).digest("base64url") : "";
  return `${input}.${signature}`;
}
