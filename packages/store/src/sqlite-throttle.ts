import type { Database } from "better-sqlite3";
import { ensureSchema, withBusyRetry } from "./sqlite-busy";
import { decideReservation, type ThrottleCounter, type ThrottleStore } from "./throttle";

// In the shop's file, which both backends open, so they count in one place.
const schemaSql = `
CREATE TABLE IF NOT EXISTS login_throttle (
  key TEXT PRIMARY KEY,
  attempts INTEGER NOT NULL,
  reset_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS login_throttle_by_reset ON login_throttle (reset_at_ms);
`;

/** Each reservation deletes at most this many expired counters: bounded work, a bounded table. */
const prunePerReservation = 10;

/** Login attempt counters in the shop's SQLite file (creates the table if needed). */
export async function createSqliteThrottleStore(db: Database): Promise<ThrottleStore> {
  await ensureSchema(db, schemaSql);
  const read = db.prepare<[string], ThrottleCounter>(
    "SELECT attempts, reset_at_ms AS resetAtMs FROM login_throttle WHERE key = ?",
  );
  const write = db.prepare<[string, number, number]>(
    `INSERT INTO login_throttle (key, attempts, reset_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET attempts = excluded.attempts, reset_at_ms = excluded.reset_at_ms`,
  );
  const pruneSome = db.prepare<[number, number]>(
    `DELETE FROM login_throttle WHERE key IN
     (SELECT key FROM login_throttle WHERE reset_at_ms <= ? LIMIT ?)`,
  );
  const giveBack = db.prepare<[string, number]>(
    `UPDATE login_throttle SET attempts = attempts - 1
     WHERE key = ? AND reset_at_ms > ? AND attempts > 0`,
  );
  const forget = db.prepare<[string]>("DELETE FROM login_throttle WHERE key = ?");

  // Read, decide and write inside one IMMEDIATE transaction: it holds the file's write lock
  // from the start, so no other process (or request) can count in between.
  const reserve = db.transaction(
    (...[limits, window, nowMs]: Parameters<ThrottleStore["reserve"]>) => {
      pruneSome.run(nowMs, prunePerReservation);
      const counters = limits.map((limit) => read.get(limit.key));
      const decision = decideReservation(counters, limits, window, nowMs);
      if (!decision.allowed) return decision;
      decision.next.forEach((counter, index) => {
        const key = limits[index]?.key;
        if (key !== undefined) write.run(key, counter.attempts, counter.resetAtMs);
      });
      return { allowed: true } as const;
    },
  );

  return {
    reserve: (limits, window, nowMs) =>
      withBusyRetry(() => reserve.immediate(limits, window, nowMs)),
    async release(key, nowMs) {
      await withBusyRetry(() => giveBack.run(key, nowMs));
    },
    async reset(key) {
      await withBusyRetry(() => forget.run(key));
    },
    async healthCheck() {
      // The shop's own health check reads the same file.
    },
  };
}
