import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  insecureFastScryptParamsForTests as fast,
  openPostgresStore,
  openSqliteStore,
  publicUser,
} from "@repo/store";
import { postgresTestSchemas, postgresUrlForTests } from "@repo/store/testing";
import express from "express";
import request from "supertest";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { jsonBodyParser } from "./body";
import { checkCredentials } from "./credentials";
import { errorHandler } from "./error-handler";
import type { LoginThrottle } from "./login-throttle";
import { openLoginThrottle } from "./open-login-throttle";
import { redisUrlForTests } from "./testing";
import { traceMiddleware } from "./trace";

const tempDir = mkdtempSync(join(tmpdir(), "shop-open-throttle-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
const redisUrl = redisUrlForTests();
const postgresUrl = postgresUrlForTests("openLoginThrottle on a PostgreSQL shop store");

/** Fails `account`'s password `times` times through `throttle`. */
async function fail(throttle: LoginThrottle, account: string, times: number) {
  for (let i = 0; i < times; i++) {
    await throttle.attempt({ account, address: "10.0.0.1" }, async () => undefined);
  }
}

/** Two backends' throttles over one file (and, given a Redis URL, one Redis). */
async function twoBackends(redis?: string) {
  const file = join(tempDir, `${randomUUID()}.sqlite`);
  const redisPrefix = `login-throttle-test-${randomUUID()}:`; // expires with the lock
  const shops = [
    await openSqliteStore({ file, scrypt: fast }),
    await openSqliteStore({ file, scrypt: fast }),
  ];
  const handles = await Promise.all(
    shops.map((shopStore) =>
      openLoginThrottle({
        shopStore,
        redisUrl: redis,
        redisPrefix,
        options: { maxFailuresPerAccount: 2 },
      }),
    ),
  );
  return {
    handles,
    async close() {
      for (const handle of handles) await handle.close();
      for (const shop of shops) await shop.close();
    },
  };
}

describe("openLoginThrottle", () => {
  it("counts in the shop's SQLite file by default, so both backends see one lock", async () => {
    const { handles, close } = await twoBackends();
    const [session, jwt] = handles;
    if (!session || !jwt) throw new Error("two handles expected");
    expect(session.kind).toBe("sqlite");
    const account = `user-${randomUUID()}`;
    await fail(session.throttle, account, 2);
    expect(
      await jwt.throttle.attempt({ account, address: "10.0.0.2" }, async () => true),
    ).toMatchObject({ allowed: false });
    await close();
  });

  it.skipIf(!redisUrl)(
    "counts in Redis when REDIS_URL is set, so every instance sees one lock",
    async () => {
      const { handles, close } = await twoBackends(redisUrl);
      const [session, jwt] = handles;
      if (!session || !jwt) throw new Error("two handles expected");
      expect(session.kind).toBe("redis");
      const account = `user-${randomUUID()}`;
      await fail(session.throttle, account, 2);
      expect(
        await jwt.throttle.attempt({ account, address: "10.0.0.2" }, async () => true),
      ).toMatchObject({ allowed: false });
      await session.throttle.healthCheck();
      await close();
    },
  );
});

describe.skipIf(!postgresUrl)("openLoginThrottle on a PostgreSQL shop store", () => {
  const schemas = postgresTestSchemas(String(postgresUrl), "shop_throttle");
  afterAll(() => schemas.dropAll());
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  /**
   * One instance of a backend, in process: its own pool on the schema at `url`, its throttle as
   * index.ts opens it, and the login route's first half. Trusts X-Forwarded-For (test only).
   */
  async function instance(url: string, redis?: string) {
    const shopStore = await openPostgresStore({ url, scrypt: fast, log: () => {} });
    const handle = await openLoginThrottle({ shopStore, redisUrl: redis, log: () => {} });
    closing.push(async () => {
      await handle.close();
      await shopStore.close();
    });
    const app = express();
    app.set("trust proxy", true);
    app.use(traceMiddleware({ sendHeader: false }));
    app.use(jsonBodyParser());
    app.post("/login", async (req, res) => {
      const user = await checkCredentials(req, res, {
        users: shopStore.users,
        throttle: handle.throttle,
      });
      res.json({ user: publicUser(user) });
    });
    app.use(errorHandler(() => {}));
    const login = (password: string, from: string) =>
      request(app).post("/login").set("X-Forwarded-For", from).send({ username: "bob", password });
    return { kind: handle.kind, login, healthCheck: () => handle.throttle.healthCheck() };
  }

  it("counts in the shop's database, so 5 wrong passwords spread over two instances lock the account", async () => {
    const url = await schemas.create();
    const instances = [await instance(url), await instance(url)];
    await instances[0]?.healthCheck(); // what GET P/health asks; a rejection fails the test
    for (let i = 0; i < 5; i++) {
      const through = instances[i % 2];
      expect((await through?.login(`guess-${i}`, `10.0.0.${i}`))?.status).toBe(401);
    }
    for (const through of instances) {
      const locked = await through.login("builder42", "10.0.1.1");
      expect(locked.status).toBe(429);
      expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    }
  });

  it.skipIf(!redisUrl)(
    "counts in PostgreSQL even when REDIS_URL is set, since every instance of both backends opens the shop's database",
    async () => {
      const only = await instance(await schemas.create(), redisUrl);
      expect(only.kind).toBe("postgres");
    },
  );
});
