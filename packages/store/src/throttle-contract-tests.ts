import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ThrottleStore } from "./throttle";

/**
 * The behaviour every ThrottleStore must have, written once against the interface.
 * `open` gives a store (and a `close`); keys are fresh per test, so a shared Redis is safe.
 */
export function describeThrottleStoreContract(
  name: string,
  open: () => Promise<{ store: ThrottleStore; close(): Promise<void> }>,
) {
  describe(`ThrottleStore contract: ${name}`, () => {
    let opened: Awaited<ReturnType<typeof open>>;
    let account: string;
    let address: string;
    beforeEach(async () => {
      opened = await open();
      account = `account:${randomUUID()}`;
      address = `address:${randomUUID()}`;
    });
    afterEach(async () => {
      await opened.store.reset(account);
      await opened.store.reset(address);
      await opened.close();
    });

    const window = { windowMs: 60_000, lockMs: 120_000 };
    const t0 = 1_000_000_000_000;
    const reserve = (nowMs: number, maxAccount = 3, maxAddress = 10) =>
      opened.store.reserve(
        [
          { key: account, maxAttempts: maxAccount },
          { key: address, maxAttempts: maxAddress },
        ],
        window,
        nowMs,
      );

    it("allows attempts up to the limit, then refuses until the lock, counted from the last attempt, ends", async () => {
      for (let i = 0; i < 3; i++) expect(await reserve(t0 + i * 1000)).toEqual({ allowed: true });
      expect(await reserve(t0 + 2000)).toEqual({ allowed: false, retryAfterMs: 120_000 });
      expect(await reserve(t0 + 2000 + 119_000)).toEqual({ allowed: false, retryAfterMs: 1000 });
      expect(await reserve(t0 + 2000 + 120_000)).toEqual({ allowed: true });
    });

    it("allows only as many of many parallel attempts as the limit", async () => {
      const verdicts = await Promise.all(Array.from({ length: 30 }, () => reserve(t0)));
      expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(3);
    });

    it("forgets attempts older than the window", async () => {
      await reserve(t0);
      await reserve(t0);
      expect(await reserve(t0 + 61_000)).toEqual({ allowed: true });
      expect(await reserve(t0 + 61_000)).toEqual({ allowed: true });
      expect((await reserve(t0 + 61_000)).allowed).toBe(true);
      expect((await reserve(t0 + 61_000)).allowed).toBe(false);
    });

    it("refuses when any one counter is at its limit, and then counts against none", async () => {
      for (let i = 0; i < 2; i++) expect((await reserve(t0, 10, 2)).allowed).toBe(true);
      expect((await reserve(t0, 10, 2)).allowed).toBe(false); // the address is locked
      // The account's counter was not touched by the refusals: 2 of 3 used, so one more is allowed
      // through another address.
      const other = `address:${randomUUID()}`;
      const throughOther = (nowMs: number) =>
        opened.store.reserve(
          [
            { key: account, maxAttempts: 3 },
            { key: other, maxAttempts: 10 },
          ],
          window,
          nowMs,
        );
      expect((await throughOther(t0)).allowed).toBe(true);
      expect((await throughOther(t0)).allowed).toBe(false);
      await opened.store.reset(other);
    });

    it("gives an attempt back on release, and forgets a counter on reset", async () => {
      await reserve(t0);
      await reserve(t0);
      await reserve(t0);
      await opened.store.release(account, t0);
      expect((await reserve(t0)).allowed).toBe(true);
      expect((await reserve(t0)).allowed).toBe(false);
      await opened.store.reset(account);
      expect((await reserve(t0)).allowed).toBe(true);
    });

    it("answers its health check", async () => {
      await opened.store.healthCheck(); // a rejection fails the test
    });
  });
}
