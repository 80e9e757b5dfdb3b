import { setTimeout as sleep } from "node:timers/promises";
import { startTcpProxy, type TcpProxy } from "@repo/shop/testing";
import {
  insecureFastScryptParamsForTests,
  openPostgresStore,
  type PgDatabase,
  type PgResult,
  type PostgresShopStore,
} from "@repo/store";
import {
  openPostgresTestStore,
  postgresTestSchemas,
  postgresUrlForTests,
} from "@repo/store/testing";
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { login, P, startTestApp, type TestApp } from "./testing";
import type { TokenStateStore } from "./token-state";
import { createPostgresTokenState } from "./token-state-postgres";

const postgresUrl = postgresUrlForTests("the PostgreSQL token state tests");
const hour = 60 * 60 * 1000;

describe.skipIf(!postgresUrl)("the PostgreSQL token state store", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("deletes expired tokens, families and denylist entries on a timer", async () => {
    const shop = await openPostgresTestStore(String(postgresUrl), "token_prune");
    cleanups.push(() => shop.close());
    const userId = (await shop.users.findUserByUsername("alice"))?.id ?? "";
    vi.useFakeTimers({ toFake: ["setInterval", "Date"] });
    const state = await createPostgresTokenState(shop.database, () => {});
    cleanups.push(async () => state.close());
    const start = Date.now();
    const soon = {
      issuedAtMs: start,
      expiresAtMs: start + 60_000,
      familyExpiresAtMs: start + 60_000,
      loginCutOffMs: 0,
    };
    await state.saveRefreshToken({ ...soon, tokenHash: "t1", familyId: "f1", userId }, start);
    await state.denyAccessToken({ jti: "j1", expiresAtMs: soon.expiresAtMs }, start);
    const count = async (table: string) =>
      (await shop.database.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n;
    expect(await count("jwt_refresh_families")).toBe(1);

    vi.advanceTimersByTime(15 * 60 * 1000); // 15 minutes: one pruning round
    const tables = ["jwt_refresh_tokens", "jwt_refresh_families", "jwt_denylist"];
    for (let waitedMs = 0; waitedMs < 10_000; waitedMs += 50) {
      const counts = await Promise.all(tables.map(count));
      if (counts.every((n) => n === 0)) return;
      await sleep(50);
    }
    throw new Error("the expired rows were not pruned within 10 s");
  });

  it("lets exactly one of two instances rotate the same token", async () => {
    const schemas = postgresTestSchemas(String(postgresUrl), "token_race");
    cleanups.push(() => schemas.dropAll());
    const url = await schemas.create();
    const open = async () => {
      const shop: PostgresShopStore = await openPostgresStore({
        url,
        scrypt: insecureFastScryptParamsForTests,
        log: () => {},
      });
      cleanups.push(() => shop.close());
      const state = await createPostgresTokenState(shop.database, () => {});
      cleanups.push(async () => state.close());
      return { shop, state };
    };
    const [a, b] = await Promise.all([open(), open()]);
    if (!a || !b) throw new Error("no instance opened");
    const userId = (await a.shop.users.findUserByUsername("alice"))?.id ?? "";
    const nowMs = Date.now();
    const token = {
      issuedAtMs: nowMs,
      expiresAtMs: nowMs + hour,
      familyExpiresAtMs: nowMs + hour,
      loginCutOffMs: 0,
    };
    await a.state.saveRefreshToken({ ...token, tokenHash: "first", familyId: "f1", userId }, nowMs);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).state.rotateRefreshToken(
          "first",
          { tokenHash: `next-${i}`, issuedAtMs: nowMs, expiresAtMs: nowMs + hour },
          nowMs,
        ),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    // The first loser sees reuse and revokes the family; later ones find the token revoked.
    const reasons = results.flatMap((result) => (result.ok ? [] : [result.reason]));
    expect(reasons).toContain("reused");
    expect(reasons.every((reason) => reason === "reused" || reason === "revoked")).toBe(true);
    // Reuse revoked the whole family, the winner's new token included.
    const winner = results.findIndex((result) => result.ok);
    expect((await b.state.findRefreshToken(`next-${winner}`))?.status).toBe("revoked");
  });
});

/**
 * `db`, except that a rotation stops right after it has stored its new token, transaction still
 * open, until `release()`; `paused` gives that transaction's backend pid.
 */
function pausingRotation(db: PgDatabase) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reportPid: (pid: number) => void = () => {};
  const paused = new Promise<number>((resolve) => {
    reportPid = resolve;
  });
  const pausing: PgDatabase = {
    ...db,
    transaction: (run) =>
      db.transaction((tx) =>
        run({
          async query<Row>(text: string, values?: readonly unknown[]): Promise<PgResult<Row>> {
            const result = await tx.query<Row>(text, values);
            if (text.includes("INSERT INTO jwt_refresh_tokens")) {
              const { rows } = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
              reportPid(Number(rows[0]?.pid));
              await released;
            }
            return result;
          },
        }),
      ),
  };
  return { db: pausing, paused, release };
}

describe.skipIf(!postgresUrl)(
  "the PostgreSQL token state store, revoking during a rotation",
  () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    // A thief refreshing in a loop must not keep a token past logout, a password change or "log
    // out everywhere" by having a rotation in flight when the revocation lands.
    it.each([
      ["revokeFamily", (state: TokenStateStore, _userId: string) => state.revokeFamily("f1")],
      [
        "revokeUserFamilies",
        (state: TokenStateStore, userId: string) => state.revokeUserFamilies(userId),
      ],
    ])("%s leaves no active token when it meets a rotation in flight", async (_name, revoke) => {
      const shop = await openPostgresTestStore(String(postgresUrl), "token_revoke_race");
      cleanups.push(() => shop.close());
      const userId = (await shop.users.findUserByUsername("alice"))?.id ?? "";
      const pausing = pausingRotation(shop.database);
      const state = await createPostgresTokenState(pausing.db, () => {});
      cleanups.push(async () => state.close());
      const nowMs = Date.now();
      const token = {
        issuedAtMs: nowMs,
        expiresAtMs: nowMs + hour,
        familyExpiresAtMs: nowMs + hour,
        loginCutOffMs: 0,
      };
      await state.saveRefreshToken({ ...token, tokenHash: "old", familyId: "f1", userId }, nowMs);

      const next = { tokenHash: "new", issuedAtMs: nowMs, expiresAtMs: nowMs + hour };
      const rotation = state.rotateRefreshToken("old", next, nowMs);
      const rotatingPid = await pausing.paused;
      const revocation = revoke(state, userId);
      // Hold the rotation until the revocation waits on it (or has finished without waiting).
      let revoked = false;
      void revocation.then(() => {
        revoked = true;
      });
      for (let waitedMs = 0; !revoked; waitedMs += 5) {
        const { rows } = await shop.database.query<{ n: number }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
          [rotatingPid],
        );
        if (Number(rows[0]?.n) > 0) break;
        if (waitedMs > 10_000)
          throw new Error("the revocation neither waited nor finished in 10 s");
        await sleep(5);
      }
      pausing.release();
      await rotation;
      await revocation;

      for (const tokenHash of ["old", "new"]) {
        expect((await state.findRefreshToken(tokenHash))?.status).not.toBe("active");
      }
      const retry = await state.rotateRefreshToken("new", { ...next, tokenHash: "newer" }, nowMs);
      expect(retry.ok).toBe(false);
    });
  },
);

// PostgreSQL behind a proxy this test controls; the shared server itself is never stopped.
describe.skipIf(!postgresUrl)("jwt-api on PostgreSQL, when PostgreSQL goes away", () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let refreshCookie: string;

  beforeAll(async () => {
    proxy = await startTcpProxy(String(postgresUrl));
    t = await startTestApp({ postgresUrl: proxy.url });
    refreshCookie = (await login(t.app)).refreshCookie;
  });
  afterAll(async () => {
    proxy?.resume();
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  async function timed<Result>(run: () => Promise<Result>): Promise<[Result, number]> {
    const startMs = performance.now();
    const result = await run();
    return [result, performance.now() - startMs];
  }

  it("answers 503 store_unavailable within 2 s while PostgreSQL is cut off, then recovers", async () => {
    await proxy.cut();
    for (const send of [
      () => request(t.app).post(`${P}/auth/refresh`).set("Cookie", refreshCookie),
      () => request(t.app).post(`${P}/auth/login`).send({ username: "bob", password: "builder42" }),
      () => request(t.app).get(`${P}/products`),
    ]) {
      const [res, elapsedMs] = await timed(send);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("store_unavailable");
      expect(elapsedMs).toBeLessThan(2000);
    }

    await proxy.restore();
    for (let waitedMs = 0; ; waitedMs += 100) {
      const res = await request(t.app).post(`${P}/auth/refresh`).set("Cookie", refreshCookie);
      if (res.status === 200) break;
      expect(res.status).toBe(503);
      if (waitedMs > 10_000) throw new Error("jwt-api did not recover within 10 s");
      await sleep(100);
    }
  });
});
