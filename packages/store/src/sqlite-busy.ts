import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "better-sqlite3";
import { StoreUnavailableError } from "./store-unavailable";

/**
 * How long SQLite itself may wait for another process's write lock. better-sqlite3 is
 * synchronous, so that wait freezes the whole process: every other request, `/health`
 * included, stalls behind it. Kept to a few milliseconds, enough for an ordinary write of the
 * other backend (microseconds) to finish; anything longer is waited for asynchronously.
 */
export const busyTimeoutMs = 10;

/** How long one call keeps retrying a busy database before giving up with 503. */
const busyRetryForMs = 1000;

/**
 * Runs one store call, retrying asynchronously (a short, growing, jittered pause that leaves
 * the event loop free) while another process holds the database, for about a second; then
 * throws `StoreUnavailableError`. The call must be atomic (one statement or one transaction),
 * so a failed attempt changed nothing and trying again is safe.
 */
export async function withBusyRetry<T>(step: () => T): Promise<T> {
  const deadline = Date.now() + busyRetryForMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() > deadline) {
        throw new StoreUnavailableError("the database is locked by another process");
      }
      await sleep(Math.min(5 * 2 ** attempt, 100) + Math.random() * 10);
    }
  }
}

const startupRetryForMs = 5000;

/**
 * Runs an idempotent step at start, trying again while another process holds the database.
 * SQLite's busy timeout covers ordinary writes, but not every case: switching a new file to WAL
 * while another connection opens it fails at once with SQLITE_BUSY.
 */
export async function retryWhileBusy<T>(step: () => T): Promise<T> {
  const deadline = Date.now() + startupRetryForMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      await sleep(Math.min(10 * attempt, 100) + Math.random() * 10);
    }
  }
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, ...): another connection is writing. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * Creates an app's own tables in the shop's file (idempotent SQL, `IF NOT EXISTS`) the way the
 * store creates its own: in one IMMEDIATE transaction, so two processes starting at once queue
 * up, and tried again while another process holds the file. `thenInside` runs in the same
 * transaction: where to add a column an older file lacks, which SQLite cannot say idempotently.
 */
export async function ensureSchema(
  db: Database,
  schemaSql: string,
  thenInside?: () => void,
): Promise<void> {
  await retryWhileBusy(() => {
    db.transaction(() => {
      db.exec(schemaSql);
      thenInside?.();
    }).immediate();
  });
}
