import { ensureSchema, isBusy, withBusyRetry } from "@repo/store";
import type { Database } from "better-sqlite3";
import { type SessionData, Store } from "express-session";

const schemaSql = `
CREATE TABLE IF NOT EXISTS sessions (
  sid TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at_ms);
`;

interface SessionRow {
  sid: string;
  data: string;
  expires_at_ms: number;
}

// Prepared once per store, never per call.
function prepareStatements(db: Database) {
  return {
    get: db.prepare<[string, number], SessionRow>(
      "SELECT sid, data, expires_at_ms FROM sessions WHERE sid = ? AND expires_at_ms > ?",
    ),
    all: db.prepare<[number], SessionRow>(
      "SELECT sid, data, expires_at_ms FROM sessions WHERE expires_at_ms > ? ORDER BY expires_at_ms",
    ),
    count: db.prepare<[number], { count: number }>(
      "SELECT COUNT(*) AS count FROM sessions WHERE expires_at_ms > ?",
    ),
    upsert: db.prepare<[string, string, number]>(
      `INSERT INTO sessions (sid, data, expires_at_ms) VALUES (?, ?, ?)
       ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at_ms = excluded.expires_at_ms`,
    ),
    // Writes only when the expiry moves by more than touchAfterMs(), and never revives a dead row.
    touch: db.prepare<[number, string, number, number]>(
      "UPDATE sessions SET expires_at_ms = ? WHERE sid = ? AND expires_at_ms > ? AND expires_at_ms < ?",
    ),
    destroy: db.prepare<[string]>("DELETE FROM sessions WHERE sid = ?"),
    clear: db.prepare("DELETE FROM sessions"),
    prune: db.prepare<[number]>("DELETE FROM sessions WHERE expires_at_ms <= ?"),
  };
}

type Callback<Value = void> = (error?: unknown, value?: Value) => void;

/**
 * A touch that would move the stored expiry by less than this is skipped, so a busy session is
 * not rewritten on every request. A skip leaves the stored expiry at most this far behind the
 * true one, so a session can end this much early, never late. Hence a tenth of the idle timeout
 * (and at most a minute): a user active at least every 90% of the idle timeout stays logged in,
 * whatever the timeout (a flat minute logged out a user active every 4 s with a 20 s timeout).
 */
export function touchAfterMs(idleTimeoutMs: number): number {
  return Math.min(60 * 1000, Math.floor(idleTimeoutMs / 10));
}
/** How often expired rows are deleted. */
const pruneIntervalMs = 15 * 60 * 1000; // 15 minutes
/** Far more requests than are ever in flight at once; past it, the remembered expiries go. */
const maxRememberedExpiries = 10_000;

/** Creates the sessions table if needed, safely beside another process, then the store. */
export async function openSqliteSessionStore(db: Database): Promise<SqliteSessionStore> {
  await ensureSchema(db, schemaSql);
  return new SqliteSessionStore(db);
}

/**
 * An express-session store on the shop's SQLite file, so sessions survive a restart. Statements
 * are prepared once; expired rows are never returned and are pruned in the background.
 */
export class SqliteSessionStore extends Store {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly pruneTimer: NodeJS.Timeout;
  /**
   * The stored expiry each `get` read, kept until that request's `touch`. With it a touch that
   * the rule above would skip anyway never reaches SQLite: on most requests the UPDATE matched
   * no row, yet still took the database's write lock (file locks, in WAL mode). A touch without
   * one (another request of the same session took it, or the map was cleared) runs the UPDATE,
   * which decides as before. Skipping on an expiry read moments earlier is safe: meanwhile the
   * row can only have moved later (a save or touch) or gone (a logout), never earlier.
   */
  private readonly expiryAtLoad = new Map<string, number>();

  constructor(db: Database) {
    super();
    this.statements = prepareStatements(db);
    this.pruneIfFree();
    this.pruneTimer = setInterval(() => this.pruneIfFree(), pruneIntervalMs);
    this.pruneTimer.unref(); // never keeps the process alive
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.run(callback, () => {
      const row = this.statements.get.get(sid, Date.now());
      if (!row) return null;
      if (this.expiryAtLoad.size >= maxRememberedExpiries) this.expiryAtLoad.clear();
      this.expiryAtLoad.set(sid, row.expires_at_ms);
      return this.toSession(row);
    });
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.expiryAtLoad.delete(sid);
    this.run(callback, () => {
      this.statements.upsert.run(sid, JSON.stringify(session), this.expiresAtMs(session));
    });
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    const loadedAtMs = this.expiryAtLoad.get(sid);
    this.expiryAtLoad.delete(sid);
    this.run(callback, () => {
      const expiresAtMs = this.expiresAtMs(session);
      const skipWithinMs = touchAfterMs(session.cookie.originalMaxAge ?? 0);
      if (loadedAtMs !== undefined && expiresAtMs - loadedAtMs <= skipWithinMs) return;
      this.statements.touch.run(expiresAtMs, sid, Date.now(), expiresAtMs - skipWithinMs);
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    this.expiryAtLoad.delete(sid);
    this.run(callback, () => {
      this.statements.destroy.run(sid);
    });
  }

  override all(callback: Callback<Record<string, SessionData>>): void {
    this.run(callback, () =>
      Object.fromEntries(
        this.statements.all.all(Date.now()).map((row) => [row.sid, this.toSession(row)]),
      ),
    );
  }

  override length(callback: Callback<number>): void {
    this.run(callback, () => this.statements.count.get(Date.now())?.count ?? 0);
  }

  override clear(callback?: Callback): void {
    this.expiryAtLoad.clear();
    this.run(callback, () => {
      this.statements.clear.run();
    });
  }

  /** Deletes expired rows; returns how many. */
  prune(): number {
    return this.statements.prune.run(Date.now()).changes;
  }

  // Pruning can wait: while another process holds the file, the next round does it.
  private pruneIfFree(): void {
    try {
      this.prune();
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }

  /** Stops the pruning timer; the database itself belongs to the shop store. */
  close(): void {
    clearInterval(this.pruneTimer);
  }

  // The app always gives the cookie a max age, so a session without an expiry is a bug.
  private expiresAtMs(session: SessionData): number {
    const expires = session.cookie.expires;
    if (!expires) throw new Error("a session cookie without an expiry: set cookie.maxAge");
    return new Date(expires).getTime();
  }

  // The expiry column is the truth (a skipped touch leaves the JSON's copy behind).
  private toSession(row: SessionRow): SessionData {
    const session = JSON.parse(row.data) as SessionData;
    return {
      ...session,
      cookie: { ...session.cookie, expires: new Date(row.expires_at_ms) },
    } as SessionData;
  }

  // better-sqlite3 is synchronous and throws; express-session wants callbacks. A call that
  // meets another process's write lock is retried without blocking the event loop, then fails
  // (the app answers 503).
  //
  // A call that succeeds at once calls back at once, in the same tick, as express-session
  // allows (its `touch` and `save` callbacks may come synchronously): while an asynchronous
  // touch is pending, express-session copies the body and holds back its last byte until the
  // touch is done, and every promise costs microtask turns, on every request. The callback runs
  // outside the `try`, so an error thrown further down the request is never mistaken for a
  // store failure (nor the callback called twice).
  private run<Value>(callback: Callback<Value> | undefined, operation: () => Value): void {
    let value: Value;
    try {
      value = operation();
    } catch (error) {
      if (!isBusy(error)) return void callback?.(error);
      withBusyRetry(operation).then(
        (retried) => callback?.(undefined, retried),
        (failed: unknown) => callback?.(failed),
      );
      return;
    }
    callback?.(undefined, value);
  }
}
