import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "better-sqlite3";

const retryForMs = 5000;

/**
 * Runs an idempotent step, trying again while another process holds the database. SQLite's
 * busy timeout covers ordinary writes, but not every case: switching a new file to WAL while
 * another connection opens it fails at once with SQLITE_BUSY.
 */
export async function retryWhileBusy<T>(step: () => T): Promise<T> {
  const deadline = Date.now() + retryForMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      await sleep(Math.min(10 * attempt, 100) + Math.random() * 10);
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * Creates an app's own tables in the shop's file (idempotent SQL, `IF NOT EXISTS`) the way the
 * store creates its own: in one IMMEDIATE transaction, so two processes starting at once queue
 * up, and tried again while another process holds the file.
 */
export async function ensureSchema(db: Database, schemaSql: string): Promise<void> {
  await retryWhileBusy(() => {
    db.transaction(() => db.exec(schemaSql)).immediate();
  });
}
