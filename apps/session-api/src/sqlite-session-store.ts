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
      return row ? this.toSession(row) : null;
    });
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.run(callback, () => {
      this.statements.upsert.run(sid, JSON.stringify(session), this.expiresAtMs(session));
    });
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.run(callback, () => {
      const expiresAtMs = this.expiresAtMs(session);
      const skipWithinMs = touchAfterMs(session.cookie.originalMaxAge ?? 0);
      this.statements.touch.run(expiresAtMs, sid, Date.now(), expiresAtMs - skipWithinMs);
    });
  }

  override destroy(sid: string, callback?: Callback): void {
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
  // allows (its `touch` and `save` callbacks may come synchronously). That matters for every
  // request: while an asynchronous touch is pending, express-session writes all of the response
  // but its last byte and sends that byte on its own once the touch is done (two socket writes
  // instead of one), and each promise costs microtask turns. Measured by `npm run bench`
  // (`--cpu-prof` of the server): the split write alone was about a tenth of the session
  // overhead on `GET P/cart`. The callback runs outside the `try`, so an error thrown further
  // down the request is never mistaken for a store failure (nor the callback called twice).
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
