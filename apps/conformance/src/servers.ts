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
import { insecureFastScryptParamsForTests, openSqliteStore } from "@repo/store";
import type { Express } from "express";
import type { AttackContext, Column } from "./attacks";
import type { Driver } from "./driver";
import { JwtDriver } from "./jwt-driver";
import { SessionDriver } from "./session-driver";

/** One backend on a real port, with its own store file, for one test file or one table row. */
export interface RunningBackend extends AttackContext {
  origin: string;
  close(): Promise<void>;
}

/** The environment each column runs with: the configs the apps read at start, nothing else. */
function envFor(column: Column, dataDir: string): Env {
  return {
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    JWT_SECRET: randomBytes(32).toString("base64url"),
    JWT_DENYLIST: column === "jwt-denylist" ? "1" : "0",
  };
}

/** Builds a column's app through the app's public entry, as its `src/index.ts` does. */
async function openApp(
  column: Column,
  env: Env,
): Promise<{ app: Express; close(): Promise<void> }> {
  if (column === "session") {
    const config = readSessionConfig(env);
    const store = await openSqliteStore({
      file: config.databaseFile,
      scrypt: insecureFastScryptParamsForTests,
    });
    const sessions = await openSessionStore(config.sessionStore, { database: store.database });
    const app = createSessionApp({ config, store, sessions, log: () => {} });
    const close = async () => {
      await sessions.close();
      await store.close();
    };
    return { app, close };
  }
  const config = readJwtConfig(env);
  const store = await openSqliteStore({
    file: config.databaseFile,
    scrypt: insecureFastScryptParamsForTests,
  });
  const tokens = await openTokenState(config.stateStore, { database: store.database });
  const app = createJwtApp({ config, store, tokenState: tokens.state, log: () => {} });
  const close = async () => {
    await tokens.close();
    await store.close();
  };
  return { app, close };
}

/** Starts a column's backend on an ephemeral port, over a fresh SQLite file. */
export async function startBackend(column: Column): Promise<RunningBackend> {
  const dataDir = mkdtempSync(join(tmpdir(), `conformance-${column}-`));
  const env = envFor(column, dataDir);
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
