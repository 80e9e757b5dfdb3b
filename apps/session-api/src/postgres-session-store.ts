import type { PgDatabase } from "@repo/store";
import { type SessionData, Store } from "express-session";
import { touchAfterMs } from "./sqlite-session-store";

// Numbered steps in the shop's database, applied once each (`PgDatabase.migrate`).
const migrations = [
  `
CREATE TABLE sessions (
  sid text PRIMARY KEY,
  data text NOT NULL,
  expires_at_ms bigint NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);
`,
];

interface SessionRow {
  sid: string;
  data: string;
  expires_at_ms: number;
}

type Callback<Value = void> = (error?: unknown, value?: Value) => void;

/** How often expired rows are deleted; each instance does it, and deleting twice is harmless. */
const pruneIntervalMs = 15 * 60 * 1000; // 15 minutes

/** Creates the sessions table once, however many instances start at once, then the store. */
export async function openPostgresSessionStore(
  db: PgDatabase,
  log: (message: string) => void = console.error,
): Promise<PostgresSessionStore> {
  await db.migrate("session-api", migrations);
  return new PostgresSessionStore(db, log);
}

/**
 * An express-session store in the shop's PostgreSQL database, which every instance of the
 * backend shares: a session made by one is found by the others. The same rules as the SQLite
 * store: expired rows are never returned, touches close to the stored expiry are skipped, and
 * expired rows are pruned in the background. A database that is down fails the call quickly
 * (the pool's time limits), and the app answers 503.
 */
export class PostgresSessionStore extends Store {
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(
    private readonly db: PgDatabase,
    private readonly log: (message: string) => void,
  ) {
    super();
    this.pruneQuietly();
    this.pruneTimer = setInterval(() => this.pruneQuietly(), pruneIntervalMs);
    this.pruneTimer.unref(); // never keeps the process alive
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.run(callback, async () => {
      const { rows } = await this.db.query<SessionRow>(
        "SELECT sid, data, expires_at_ms FROM sessions WHERE sid = $1 AND expires_at_ms > $2",
        [sid, Date.now()],
      );
      return rows[0] ? toSession(rows[0]) : null;
    });
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.run(callback, async () => {
      await this.db.query(
        `INSERT INTO sessions (sid, data, expires_at_ms) VALUES ($1, $2, $3)
         ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at_ms = excluded.expires_at_ms`,
        [sid, JSON.stringify(session), expiresAtMs(session)],
      );
    });
  }

  // Writes only when the expiry moves by more than touchAfterMs, and never revives a dead row.
  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.run(callback, async () => {
      const expires = expiresAtMs(session);
      const skipWithinMs = touchAfterMs(session.cookie.originalMaxAge ?? 0);
      await this.db.query(
        `UPDATE sessions SET expires_at_ms = $1
         WHERE sid = $2 AND expires_at_ms > $3 AND expires_at_ms < $4`,
        [expires, sid, Date.now(), expires - skipWithinMs],
      );
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    this.run(callback, async () => {
      await this.db.query("DELETE FROM sessions WHERE sid = $1", [sid]);
    });
  }

  override all(callback: Callback<Record<string, SessionData>>): void {
    this.run(callback, async () => {
      const { rows } = await this.db.query<SessionRow>(
        `SELECT sid, data, expires_at_ms FROM sessions WHERE expires_at_ms > $1
         ORDER BY expires_at_ms`,
        [Date.now()],
      );
      return Object.fromEntries(rows.map((row) => [row.sid, toSession(row)]));
    });
  }

  override length(callback: Callback<number>): void {
    this.run(callback, async () => {
      const { rows } = await this.db.query<{ count: number }>(
        "SELECT count(*) AS count FROM sessions WHERE expires_at_ms > $1",
        [Date.now()],
      );
      return rows[0]?.count ?? 0;
    });
  }

  override clear(callback?: Callback): void {
    this.run(callback, async () => {
      await this.db.query("DELETE FROM sessions");
    });
  }

  /** Deletes expired rows; resolves with how many. */
  async prune(): Promise<number> {
    return (await this.db.query("DELETE FROM sessions WHERE expires_at_ms <= $1", [Date.now()]))
      .rowCount;
  }

  // Pruning can wait: while the database is down, the next round does it.
  private pruneQuietly(): void {
    this.prune().catch((error: unknown) => {
      this.log(`session-api: pruning expired sessions failed: ${(error as Error).message}`);
    });
  }

  /** Stops the pruning timer; the pool itself belongs to the shop store. */
  close(): void {
    clearInterval(this.pruneTimer);
  }

  // express-session wants callbacks; each is called exactly once.
  private run<Value>(callback: Callback<Value> | undefined, operation: () => Promise<Value>): void {
    operation().then(
      (value) => callback?.(undefined, value),
      (error: unknown) => callback?.(error),
    );
  }
}

// The app always gives the cookie a max age, so a session without an expiry is a bug.
function expiresAtMs(session: SessionData): number {
  const expires = session.cookie.expires;
  if (!expires) throw new Error("a session cookie without an expiry: set cookie.maxAge");
  return new Date(expires).getTime();
}

// The expiry column is the truth (a skipped touch leaves the JSON's copy behind).
function toSession(row: SessionRow): SessionData {
  const session = JSON.parse(row.data) as SessionData;
  return {
    ...session,
    cookie: { ...session.cookie, expires: new Date(row.expires_at_ms) },
  } as SessionData;
}
