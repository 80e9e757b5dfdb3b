import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createApp as createJwtApp,
  openTokenState,
  readConfig as readJwtConfig,
} from "@repo/jwt-api";
import {
  createApp as createSessionApp,
  openSessionStore,
  readConfig as readSessionConfig,
} from "@repo/session-api";
import type { Env } from "@repo/shop";
import { listen } from "@repo/shop/testing";
import { insecureFastScryptParamsForTests, openShopStore } from "@repo/store";
import { postgresTestSchemas, postgresUrlForTests } from "@repo/store/testing";
import type { Express } from "express";
import type { AttackContext, Column } from "./attacks";
import type { Driver } from "./driver";
import { JwtDriver } from "./jwt-driver";
import { SessionDriver } from "./session-driver";

/**
 * Where the conformance suites keep the shop and its state: SQLite always, and PostgreSQL too
 * when DATABASE_URL is set (a schema per backend); otherwise a printed line says it was skipped.
 */
export const storeKinds = postgresUrlForTests("the conformance suites on PostgreSQL")
  ? (["sqlite", "postgres"] as const)
  : (["sqlite"] as const);
export type StoreKind = (typeof storeKinds)[number];

/** One backend on a real port, with its own store file, for one test file or one table row. */
export interface RunningBackend extends AttackContext {
  origin: string;
  close(): Promise<void>;
}

/**
 * The environment each column runs with: the configs the apps read at start, nothing else. With
 * `databaseUrl`, the shop and its sessions or tokens live in that PostgreSQL database.
 */
function envFor(column: Column, dataDir: string, databaseUrl?: string, extra: Env = {}): Env {
  return {
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    JWT_SECRET: randomBytes(32).toString("base64url"),
    JWT_DENYLIST: column === "jwt-denylist" ? "1" : "0",
    JWT_USER_CUTOFF: column === "jwt-cutoff" ? "1" : "0",
    ...(databaseUrl ? { SHOP_STORE: "postgres", DATABASE_URL: databaseUrl } : {}),
    ...extra,
  };
}

/** Builds a column's app through the app's public entry, as its `src/index.ts` does. */
async function openApp(
  column: Column,
  env: Env,
): Promise<{ app: Express; close(): Promise<void> }> {
  const options = { demoUsers: true, scrypt: insecureFastScryptParamsForTests, log: () => {} };
  if (column === "session") {
    const config = readSessionConfig(env);
    const store = await openShopStore(config.shopStore, options);
    const sessions = await openSessionStore(config.sessionStore, {
      database: store.kind === "sqlite" ? store.database : undefined,
      postgres: store.kind === "postgres" ? store.database : undefined,
    });
    const app = createSessionApp({ config, store, sessions, log: () => {} });
    const close = async () => {
      await sessions.close();
      await store.close();
    };
    return { app, close };
  }
  const config = readJwtConfig(env);
  const store = await openShopStore(config.shopStore, options);
  const tokens = await openTokenState(config.stateStore, {
    database: store.kind === "sqlite" ? store.database : undefined,
    postgres: store.kind === "postgres" ? store.database : undefined,
  });
  const app = createJwtApp({ config, store, tokenState: tokens.state, log: () => {} });
  const close = async () => {
    await tokens.close();
    await store.close();
  };
  return { app, close };
}

/**
 * Starts a column's backend on an ephemeral port, over a fresh SQLite file, or a fresh schema
 * of DATABASE_URL that `close` drops.
 */
export async function startBackend(
  column: Column,
  stores: StoreKind = "sqlite",
  /** Settings a row needs beside its column's (a short lifetime, production). */
  extraEnv: Env = {},
): Promise<RunningBackend> {
  const dataDir = mkdtempSync(join(tmpdir(), `conformance-${column}-`));
  const schemas =
    stores === "postgres"
      ? postgresTestSchemas(String(postgresUrlForTests()), `conformance_${column}`)
      : undefined;
  const env = envFor(column, dataDir, await schemas?.create(), extraEnv);
  let opened = await openApp(column, env);
  let server = await listen(opened.app);
  const { port, url: origin } = server;

  return {
    origin,
    newDriver(): Driver {
      return column === "session" ? new SessionDriver(origin) : new JwtDriver(origin);
    },
    async restart() {
      // A real restart: the process's memory is gone; the file and the configured secrets stay.
      await server.close();
      await opened.close();
      opened = await openApp(column, env);
      server = await listen(opened.app, port);
    },
    async close() {
      await server.close();
      await opened.close();
      await schemas?.dropAll();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
