import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insecureFastScryptParamsForTests as fast, openSqliteStore } from "@repo/store";
import { afterAll, describe, expect, it } from "vitest";
import type { LoginThrottle } from "./login-throttle";
import { openLoginThrottle } from "./open-login-throttle";
import { redisUrlForTests } from "./testing";

const tempDir = mkdtempSync(join(tmpdir(), "shop-open-throttle-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
const redisUrl = redisUrlForTests();

/** Fails `account`'s password `times` times through `throttle`. */
async function fail(throttle: LoginThrottle, account: string, times: number) {
  for (let i = 0; i < times; i++) {
    const attempt = await throttle.begin(account, "10.0.0.1");
    if (attempt.allowed) await attempt.verify(async () => undefined);
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
    expect(await jwt.throttle.begin(account, "10.0.0.2")).toMatchObject({ allowed: false });
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
      expect(await jwt.throttle.begin(account, "10.0.0.2")).toMatchObject({ allowed: false });
      await session.throttle.healthCheck();
      await close();
    },
  );
});
