import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { RedisStore } from "connect-redis";
import request from "supertest";
import { describe, expect, it } from "vitest";
import type { SessionStoreKind } from "./config";
import { openSessionStore, redisSessionPrefix } from "./session-stores";
import {
  clearSessions,
  loginAgent,
  P,
  redisUrl,
  signedSidCookie,
  startTestApp,
  testRedisPrefix,
} from "./testing";

/** Logs in, adds to the cart, then starts a fresh process on the same files: what remains? */
async function cartAfterRestart(kind: SessionStoreKind): Promise<number> {
  const file = join(mkdtempSync(join(tmpdir(), "session-api-restart-")), "shop.sqlite");
  const redisPrefix = testRedisPrefix(); // the same keys after the restart
  const before = await startTestApp({ kind, file, redisUrl, redisPrefix });
  const { agent, csrfToken, sessionId } = await loginAgent(before.app);
  await agent
    .post(`${P}/cart/items`)
    .set("X-CSRF-Token", csrfToken)
    .send({ productId: "chisel-set", quantity: 2 })
    .expect(200);
  await before.close();

  const after = await startTestApp({ kind, file, redisUrl, redisPrefix });
  const cookie = signedSidCookie(sessionId);
  try {
    const res = await request(after.app).get(`${P}/cart`).set("Cookie", cookie);
    if (res.status === 200) {
      await request(after.app)
        .post(`${P}/auth/logout`)
        .set("Cookie", cookie)
        .set("X-CSRF-Token", csrfToken)
        .expect(204);
      return res.body.itemCount;
    }
    expect(res.body.error.code).toBe("unauthenticated");
    return -1;
  } finally {
    if (kind === "redis") await clearSessions(after.sessions);
    await after.close();
  }
}

describe("session stores across a restart", () => {
  it("sqlite: sessions live in the database file, so everyone stays logged in", async () => {
    expect(await cartAfterRestart("sqlite")).toBe(2);
  });

  it("memory: a restart logs everyone out (the lesson of the in-process store)", async () => {
    expect(await cartAfterRestart("memory")).toBe(-1);
  });

  it.skipIf(!redisUrl)("redis: sessions live in Redis, so everyone stays logged in", async () => {
    expect(await cartAfterRestart("redis")).toBe(2);
  });
});

describe.skipIf(!redisUrl)("the redis session store", () => {
  it("keeps sessions under its prefix with a TTL matching the cookie, and lists them", async () => {
    const t = await startTestApp({ kind: "redis", redisUrl });
    const key = (sessionId: string) => `${t.redisPrefix}${sessionId}`;
    const { createClient } = await import("redis");
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const { agent, csrfToken, sessionId } = await loginAgent(t.app);
      const ttlSeconds = await client.ttl(key(sessionId));
      expect(ttlSeconds).toBeGreaterThan(29 * 60);
      expect(ttlSeconds).toBeLessThanOrEqual(30 * 60);
      const state = await agent.get(`${P}/demo/state`).expect(200);
      expect(state.body.store).toBe("redis");
      expect(state.body.sessions.map((row: { id: string }) => row.id)).toContain(
        `${sessionId.slice(0, 6)}…`,
      );
      await agent.post(`${P}/auth/logout`).set("X-CSRF-Token", csrfToken).expect(204);
      expect(await client.exists(key(sessionId))).toBe(0);
    } finally {
      client.destroy();
      await t.close();
    }
  });

  it("uses sess: unless told otherwise, and a test's keys are gone once it closes", async () => {
    const { createClient } = await import("redis");
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const production = await openSessionStore("redis", {
        database: new Database(":memory:"),
        redisUrl,
        log: () => {},
      });
      expect((production.store as RedisStore).prefix).toBe(redisSessionPrefix);
      await production.close();
      const t = await startTestApp({ kind: "redis", redisUrl });
      expect(t.redisPrefix).not.toBe(redisSessionPrefix);
      await loginAgent(t.app); // logged in, never logged out
      expect(await client.keys(`${t.redisPrefix}*`)).toHaveLength(1);
      await t.close();
      expect(await client.keys(`${t.redisPrefix}*`)).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});
