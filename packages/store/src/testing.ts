// Test support for the stores and the apps on them. Imported only as "@repo/store/testing",
// never from the package's index, so no app loads it at run time.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { insecureFastScryptParamsForTests } from "./passwords";
import { openPostgresStore, type PostgresShopStore } from "./postgres";
import type { UserStore } from "./types";

export { listenOn, startTcpProxy, type TcpProxy } from "./tcp-proxy";

/**
 * The PostgreSQL the tests may use (DATABASE_URL), or undefined, and then PostgreSQL tests
 * skip, saying so in one printed line naming `suite` rather than silently. In CI a missing one
 * is an error.
 */
export function postgresUrlForTests(
  suite?: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const url = env.DATABASE_URL || undefined;
  if (!url && env.CI) throw new Error("CI must set DATABASE_URL: the PostgreSQL tests need it.");
  if (!url && suite) {
    console.log(
      `skipped: ${suite}; set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them against PostgreSQL`,
    );
  }
  return url;
}

/**
 * Fresh schemas in the test database, one per `create`, so tests never see each other's rows;
 * `dropAll` (in `afterAll`) drops every one of them with what it holds.
 */
export function postgresTestSchemas(baseUrl: string, label: string) {
  const created: string[] = [];
  const admin = async <T>(run: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };
  return {
    /** Creates a schema and returns `baseUrl` with it as the search path of every connection. */
    async create(): Promise<string> {
      const schema = `test_${label.toLowerCase().replace(/\W/g, "_")}_${randomBytes(6).toString("hex")}`;
      // The name also goes into the URL's search_path, where no quoting helps: refuse anything
      // but a plain identifier, and quote it in SQL all the same.
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`);
      await admin((client) => client.query(`CREATE SCHEMA ${client.escapeIdentifier(schema)}`));
      created.push(schema);
      const url = new URL(baseUrl);
      url.searchParams.set("options", `-c search_path=${schema}`);
      return url.toString();
    },
    async dropAll(): Promise<void> {
      const schemas = created.splice(0);
      if (schemas.length === 0) return;
      await admin((client) => {
        const names = schemas.map((schema) => client.escapeIdentifier(schema)).join(", ");
        return client.query(`DROP SCHEMA IF EXISTS ${names} CASCADE`);
      });
    },
  };
}

/**
 * A PostgreSQL shop store, seeded with the cheap test hash, in a schema of its own that its
 * `close` drops. `baseUrl` is DATABASE_URL, or a TCP proxy in front of it.
 */
export async function openPostgresTestStore(
  baseUrl: string,
  label: string,
  options: { demoUsers?: boolean } = {},
): Promise<PostgresShopStore> {
  const schemas = postgresTestSchemas(baseUrl, label);
  const url = await schemas.create();
  const store = await openPostgresStore({
    url,
    scrypt: insecureFastScryptParamsForTests,
    log: () => {},
    ...options,
  }).catch(async (error: unknown) => {
    await schemas.dropAll();
    throw error;
  });
  return {
    ...store,
    async close() {
      await store.close();
      await schemas.dropAll();
    },
  };
}

/**
 * Holds the next password check of `users` after it has read the account and matched the hash,
 * until `release` is called: a slow scrypt on a busy server, made certain, so a test can save a
 * password change in between. `checked` settles once that read and match are done.
 */
export function holdNextPasswordCheck(users: UserStore) {
  const original = users.verifyCredentials;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let markChecked = () => {};
  const checked = new Promise<void>((resolve) => {
    markChecked = resolve;
  });
  users.verifyCredentials = async (username, password) => {
    users.verifyCredentials = original; // only the next check waits
    const account = await original.call(users, username, password);
    markChecked();
    await released;
    return account;
  };
  return { checked, release };
}
