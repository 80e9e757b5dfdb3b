import pg from "pg";
import { StoreUnavailableError } from "./store-unavailable";

/** How long a statement may run on the server before PostgreSQL cancels it. */
export const pgStatementTimeoutMs = 1000;
/** How long the client waits for any reply, for a server or network gone silent. */
const queryTimeoutMs = 1500;
/** How long a request waits for a connection (a new one, or a free one from the pool). */
const connectTimeoutMs = 1000;
/** Migrations wait for another instance's migrations and may seed: a start gets this long. */
const migrationTimeoutMs = 30_000;

/** One statement's result: the rows, and how many rows it changed. */
export interface PgResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Runs statements on one connection inside a transaction. */
export interface PgTransaction {
  query<Row = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<PgResult<Row>>;
}

/**
 * A connection pool that fails fast: every statement either answers within
 * `pgStatementTimeoutMs` plus a little, or throws `StoreUnavailableError`, and a dead
 * connection is dropped from the pool, so the next statement tries a fresh one and the store
 * recovers by itself when PostgreSQL is back.
 */
export interface PgDatabase {
  query<Row = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<PgResult<Row>>;
  /**
   * Runs `run` in one transaction on one connection: committed if it resolves, rolled back if
   * it throws. Each statement keeps the usual time limits.
   */
  transaction<Result>(run: (tx: PgTransaction) => Promise<Result>): Promise<Result>;
  /**
   * Applies the steps of `component` not yet applied, in order, then runs `then`, all in one
   * transaction under an advisory lock, so instances starting at the same moment queue up and
   * each step runs once. A step is never edited once shipped: a change is a new step.
   */
  migrate(
    component: string,
    steps: readonly string[],
    then?: (tx: PgTransaction) => Promise<void>,
  ): Promise<void>;
  close(): Promise<void>;
}

// Every bigint this project keeps is a millisecond time or a count, far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? Number
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Opens a pool on `url` (postgres://…); connects lazily, at the first statement. */
export function openPgDatabase(url: string, log: (message: string) => void): PgDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: queryTimeoutMs,
    statement_timeout: pgStatementTimeoutMs,
    idle_in_transaction_session_timeout: migrationTimeoutMs,
    keepAlive: true,
    application_name: "session-vs-jwt",
    types,
  });
  let lastLoggedMs = 0;
  // An idle connection that breaks (PostgreSQL restarted) is reported here; without a listener
  // it would crash the process. Logged at most every 10 s, never with the URL (it may hold a
  // password); the pool drops the connection and opens a new one when next needed.
  pool.on("error", (error) => {
    const nowMs = Date.now();
    if (nowMs - lastLoggedMs > 10_000) {
      lastLoggedMs = nowMs;
      log(`postgres: ${error.message}; requests that need it get 503 until it is back`);
    }
  });

  const query = async <Row>(text: string, values?: readonly unknown[]) => {
    try {
      const result = await pool.query({ text, values: values as unknown[] | undefined });
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw asOutage(error);
    }
  };

  /** BEGIN, `run`, COMMIT on one pooled connection; ROLLBACK and a dropped connection on error. */
  const inTransaction = async <Result>(
    run: (tx: PgTransaction) => Promise<Result>,
    timeoutMs?: number,
  ): Promise<Result> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw asOutage(error);
    }
    const tx: PgTransaction = {
      async query<Row>(text: string, values?: readonly unknown[]) {
        const config = { text, values: values as unknown[] | undefined, query_timeout: timeoutMs };
        const result = await client.query(config);
        return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
      },
    };
    try {
      await tx.query("BEGIN");
      if (timeoutMs) await tx.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      const result = await run(tx);
      await tx.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      // The connection may be broken or mid-statement: never hand it to the next request.
      await client.query("ROLLBACK").catch(() => {});
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw asOutage(error);
    }
  };

  return {
    query,
    transaction: (run) => inTransaction(run),
    migrate: (component, steps, then) =>
      inTransaction(async (tx) => {
        // One lock per schema, so two apps in two schemas of one database never wait on each other.
        await tx.query(
          "SELECT pg_advisory_xact_lock(hashtextextended('session-vs-jwt migrations ' || current_schema(), 0))",
        );
        await tx.query(
          `CREATE TABLE IF NOT EXISTS schema_migrations (
             component text NOT NULL,
             version integer NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now(),
             PRIMARY KEY (component, version))`,
        );
        const applied = await tx.query<{ version: number }>(
          "SELECT version FROM schema_migrations WHERE component = $1",
          [component],
        );
        const done = new Set(applied.rows.map((row) => row.version));
        for (const [index, step] of steps.entries()) {
          const version = index + 1;
          if (done.has(version)) continue;
          await tx.query(step);
          await tx.query("INSERT INTO schema_migrations (component, version) VALUES ($1, $2)", [
            component,
            version,
          ]);
        }
        await then?.(tx);
      }, migrationTimeoutMs),
    async close() {
      await pool.end();
    },
  };
}

/** Node's codes for a connection that failed or broke. */
const networkErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** What pg and its pool say, with no code, when a connection fails, breaks or goes silent. */
const clientOutageMessages = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Query read timeout",
  "timeout expired",
  "Client has encountered a connection error and is not queryable",
];

/**
 * SQLSTATEs of an outage: connection exceptions (class 08), insufficient resources (53, e.g.
 * too many connections), a server shutting down or starting (57P01-57P03), a statement
 * cancelled by `statement_timeout` (57014) and a lock not granted in time (55P03).
 */
function isOutageState(code: string): boolean {
  return (
    code.startsWith("08") ||
    code.startsWith("53") ||
    ["57P01", "57P02", "57P03", "57014", "55P03"].includes(code)
  );
}

/** An outage becomes StoreUnavailableError; anything else (a bug in our SQL) is rethrown. */
function asOutage(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof StoreUnavailableError) return error;
  const code = (error as { code?: unknown }).code;
  const outage =
    error instanceof pg.DatabaseError
      ? typeof code === "string" && isOutageState(code)
      : (typeof code === "string" && networkErrorCodes.has(code)) ||
        clientOutageMessages.some((message) => error.message.startsWith(message));
  if (!outage) return error;
  return new StoreUnavailableError(`PostgreSQL is unavailable: ${error.message}`, {
    cause: error,
  });
}
