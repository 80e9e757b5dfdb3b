import type { PgDatabase } from "./pg-database";
import { decideReservation, type ThrottleCounter, type ThrottleStore } from "./throttle";

// Counters in the table `login_throttle` of the shop's PostgreSQL database (a step of
// `shopMigrations`), which every instance of both backends opens, so they all count in one place.

/** Each reservation deletes at most this many expired counters: bounded work, a bounded table. */
const prunePerReservation = 10;

// Creates any missing counter (as expired, so `decideReservation` starts it afresh) and locks
// every one of them until the transaction ends, returning what other transactions committed
// last. A bare `SELECT … FOR UPDATE` could not lock a counter that does not exist yet, and two
// first attempts would both count from zero. Keys come sorted, so two reservations always
// lock in the same order and never deadlock.
const lockCountersSql = `
INSERT INTO login_throttle (key, attempts, reset_at_ms)
SELECT key, 0, 0 FROM unnest($1::text[]) AS key ORDER BY key
ON CONFLICT (key) DO UPDATE SET key = excluded.key
RETURNING key, attempts, reset_at_ms AS "resetAtMs"`;

const writeCountersSql = `
UPDATE login_throttle AS counter SET attempts = next.attempts, reset_at_ms = next.reset_at_ms
FROM unnest($1::text[], $2::integer[], $3::bigint[]) AS next (key, attempts, reset_at_ms)
WHERE counter.key = next.key`;

// In a statement of its own, not in a reservation's transaction, and skipping rows another
// transaction holds: pruning never waits for a lock, so it never joins a deadlock.
const pruneSql = `
DELETE FROM login_throttle WHERE key IN (
  SELECT key FROM login_throttle WHERE reset_at_ms <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

/** Login attempt counters in the shop's PostgreSQL database, shared by every instance. */
export function createPgThrottleStore(db: PgDatabase): ThrottleStore {
  return {
    async reserve(limits, window, nowMs) {
      await db.query(pruneSql, [nowMs, prunePerReservation]);
      const keys = [...new Set(limits.map((limit) => limit.key))].sort();
      // Lock, read, decide (the one rule every store shares) and write in one short
      // transaction: another reservation of the same counters waits for its COMMIT.
      return db.transaction(async (tx) => {
        const locked = await tx.query<ThrottleCounter & { key: string }>(lockCountersSql, [keys]);
        const byKey = new Map(locked.rows.map((row) => [row.key, row]));
        const counters = limits.map((limit) => byKey.get(limit.key));
        const decision = decideReservation(counters, limits, window, nowMs);
        if (!decision.allowed) return decision;
        await tx.query(writeCountersSql, [
          limits.map((limit) => limit.key),
          decision.next.map((counter) => counter.attempts),
          decision.next.map((counter) => counter.resetAtMs),
        ]);
        return { allowed: true } as const;
      });
    },
    async release(key, nowMs) {
      await db.query(
        `UPDATE login_throttle SET attempts = attempts - 1
         WHERE key = $1 AND reset_at_ms > $2 AND attempts > 0`,
        [key, nowMs],
      );
    },
    async reset(key) {
      await db.query("DELETE FROM login_throttle WHERE key = $1", [key]);
    },
    // Reads the table itself, so a schema without it fails here too, not only at a login.
    healthCheck: () => db.query("SELECT 1 FROM login_throttle LIMIT 1"),
  };
}
