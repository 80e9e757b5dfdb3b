// Memory per live session in one session store, measured in a process that runs the session
// backend's own app. Started by the bench as `node --expose-gc --import tsx <this file>`, with
// the backend's environment (SESSION_STORE, DATA_DIR, ...) and SESSION_COUNT; it answers with
// one IPC message, a `ProbeResult`.
//
// Logging in 10,000 times would take over an hour of scrypt, so it logs in once, as a browser
// would, and then writes that session's record under 10,000 fresh random ids through the
// store's own `set`: the records are the size and shape real logins make.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { apiPrefix, sessionCookieName } from "@repo/contract";
import { createApp, openSessionStore, readConfig } from "@repo/session-api";
import { closeRedis, connectRedis } from "@repo/shop";
import { openShopStore } from "@repo/store";
import type { SessionData, Store } from "express-session";
import { logIn } from "./clients";

export type ProbeResult =
  | { ok: true; bytes: number; measuredAs: string }
  | { ok: false; reason: string };

const gc = globalThis.gc;
if (!gc || !process.send) throw new Error("start with --expose-gc and an IPC channel");
const count = Number(process.env.SESSION_COUNT ?? "10000");
const config = readConfig(process.env);
const store = await openShopStore(config.shopStore, { demoUsers: true });
// A prefix of our own, so the keys we count and delete are ours alone.
const redisPrefix = `bench-sess-${randomBytes(6).toString("hex")}:`;
const sessions = await openSessionStore(config.sessionStore, {
  database: store.kind === "sqlite" ? store.database : undefined,
  postgres: store.kind === "postgres" ? store.database : undefined,
  redisUrl: config.redisUrl,
  redisPrefix,
});
const server = createApp({ config, store, sessions }).listen(0, "127.0.0.1");
await once(server, "listening");

/** The id inside a signed `sid` cookie: `s:<id>.<signature>`, URL-encoded. */
function sessionIdOf(setCookie: string[]): string {
  const line = setCookie.find((cookie) => cookie.startsWith(`${sessionCookieName}=`)) ?? "";
  const value = decodeURIComponent(line.slice(sessionCookieName.length + 1).split(";")[0] ?? "");
  return value.slice(2, value.lastIndexOf("."));
}

const { port } = server.address() as AddressInfo;
const login = await logIn(`http://127.0.0.1:${port}`, apiPrefix.session);
const sid = sessionIdOf(login.headers.getSetCookie());
const storeApi: Store = sessions.store;
const record = await promisify(storeApi.get.bind(storeApi))(sid);
if (!record) throw new Error("the session of the login is not in the store");
const set = promisify(storeApi.set.bind(storeApi)) as (
  id: string,
  data: SessionData,
) => Promise<void>;
/** express-session's own ids are 24 random bytes in base64url: 32 characters. */
const newSessionId = () => randomBytes(24).toString("base64url");

async function heapBytes(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

function sqliteBytes(): number {
  if (store.kind !== "sqlite") throw new Error("not a SQLite store");
  const db = store.database;
  db.pragma("wal_checkpoint(TRUNCATE)"); // everything into the main file, which we then size
  const pages = db.pragma("page_count", { simple: true }) as number;
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  return pages * pageSize;
}

async function measure(): Promise<ProbeResult> {
  switch (sessions.kind) {
    case "memory": {
      const heapBefore = await heapBytes();
      const rssBefore = process.memoryUsage().rss;
      for (let i = 0; i < count; i++) await set(newSessionId(), record as SessionData);
      const heapAfter = await heapBytes();
      const rssMiB = (process.memoryUsage().rss - rssBefore) / (1024 * 1024);
      return {
        ok: true,
        bytes: heapAfter - heapBefore,
        measuredAs: `V8 heap used after GC, in the server process (its RSS moved by ${rssMiB.toFixed(1)} MiB, too coarse to count on: the allocator takes and returns memory in bulk)`,
      };
    }
    case "sqlite": {
      if (store.kind !== "sqlite") throw new Error("SQLite sessions need the SQLite shop store");
      const before = sqliteBytes();
      // One transaction around the 10,000 writes, so the copy takes a second, not minutes.
      store.database.transaction(() => {
        for (let i = 0; i < count; i++) {
          storeApi.set(newSessionId(), record as SessionData, (error) => {
            if (error) throw error;
          });
        }
      })();
      return {
        ok: true,
        bytes: sqliteBytes() - before,
        measuredAs: "growth of the SQLite file (page count x page size, after a WAL checkpoint)",
      };
    }
    case "redis": {
      const redis = await connectRedis(config.redisUrl ?? "");
      try {
        await copyInBatches();
        const keys: string[] = [];
        for await (const page of redis.scanIterator({ MATCH: `${redisPrefix}*`, COUNT: 1000 })) {
          keys.push(...page);
        }
        const sizes = await Promise.all(keys.map((key) => redis.memoryUsage(key)));
        const total = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
        // The login's own key is one of them; count the copies only.
        const bytes = (total * count) / keys.length;
        if (keys.length > 0) await redis.unlink(keys);
        return {
          ok: true,
          bytes,
          measuredAs:
            "Redis MEMORY USAGE of the session keys, summed (our keys only: Redis is shared)",
        };
      } finally {
        await closeRedis(redis);
      }
    }
    case "postgres": {
      if (store.kind !== "postgres") throw new Error("PostgreSQL sessions need its shop store");
      // The sessions table with its indexes and TOAST, in this run's own schema.
      const tableBytes = async () => {
        const { rows } = await store.database.query<{ bytes: string }>(
          "SELECT pg_total_relation_size(to_regclass('sessions'))::text AS bytes",
        );
        return Number(rows[0]?.bytes ?? Number.NaN);
      };
      const before = await tableBytes();
      await copyInBatches();
      return {
        ok: true,
        bytes: (await tableBytes()) - before,
        measuredAs: "growth of the sessions table with its indexes (pg_total_relation_size)",
      };
    }
  }
}

/** The copies, 500 at a time, for the stores that answer over the network. */
async function copyInBatches(): Promise<void> {
  const batch = 500;
  for (let done = 0; done < count; done += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - done) }, () =>
        set(newSessionId(), record as SessionData),
      ),
    );
  }
}

try {
  process.send(await measure());
} finally {
  server.close();
  await sessions.close();
  await store.close();
}
