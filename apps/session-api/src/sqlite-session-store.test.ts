import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { SessionData } from "express-session";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openSessionStore } from "./session-stores";
import { openSqliteSessionStore, type SqliteSessionStore } from "./sqlite-session-store";
import { loginAgent, P, startTestApp } from "./testing";

const minute = 60 * 1000;

function sessionExpiringIn(ms: number, extra: Record<string, unknown> = {}): SessionData {
  return {
    cookie: { originalMaxAge: ms, expires: new Date(Date.now() + ms), httpOnly: true, path: "/" },
    ...extra,
  } as unknown as SessionData;
}

function call<Value>(run: (done: (error?: unknown, value?: Value) => void) => void) {
  return new Promise<Value | undefined>((resolve, reject) =>
    run((error, value) => (error ? reject(error) : resolve(value))),
  );
}

let db: Database.Database;
let store: SqliteSessionStore;
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  db = new Database(":memory:");
  store = await openSqliteSessionStore(db);
});
afterEach(() => {
  store.close();
  db.close();
  vi.useRealTimers();
});

const expiryOf = (sid: string) =>
  (
    db.prepare("SELECT expires_at_ms FROM sessions WHERE sid = ?").get(sid) as
      | { expires_at_ms: number }
      | undefined
  )?.expires_at_ms;

describe("SqliteSessionStore", () => {
  it("stores, reads and destroys a session", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute, { userId: "u1" }), done));
    const read = await call<SessionData | null>((done) => store.get("a", done));
    expect(read).toMatchObject({ userId: "u1" });
    await call((done) => store.destroy("a", done));
    expect(await call((done) => store.get("a", done))).toBeNull();
  });

  it("never returns an expired session", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute), done));
    vi.advanceTimersByTime(31 * minute);
    expect(await call((done) => store.get("a", done))).toBeNull();
    expect(await call<number>((done) => store.length(done))).toBe(0);
  });

  it("prunes expired rows and keeps live ones", async () => {
    await call((done) => store.set("old", sessionExpiringIn(1 * minute), done));
    await call((done) => store.set("live", sessionExpiringIn(60 * minute), done));
    vi.advanceTimersByTime(2 * minute);
    expect(store.prune()).toBe(1);
    expect(expiryOf("old")).toBeUndefined();
    expect(expiryOf("live")).toBeDefined();
  });

  it("touch writes only when the expiry moved by more than a minute", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute), done));
    const stored = expiryOf("a");
    vi.advanceTimersByTime(30 * 1000);
    await call((done) => store.touch("a", sessionExpiringIn(30 * minute), done));
    expect(expiryOf("a")).toBe(stored); // 30 s later: no write
    vi.advanceTimersByTime(60 * 1000);
    await call((done) => store.touch("a", sessionExpiringIn(30 * minute), done));
    expect(expiryOf("a")).toBe(Date.now() + 30 * minute);
  });

  it("keeps a session used every 4 s alive with a 20 s idle timeout: each touch slides the expiry", async () => {
    const idleMs = 20 * 1000;
    await call((done) => store.set("a", sessionExpiringIn(idleMs), done));
    for (let second = 4; second <= 60; second += 4) {
      vi.advanceTimersByTime(4 * 1000);
      expect(await call((done) => store.get("a", done)), `after ${second} s`).not.toBeNull();
      await call((done) => store.touch("a", sessionExpiringIn(idleMs), done));
    }
    expect(expiryOf("a")).toBeGreaterThan(Date.now() + idleMs * 0.9 - 1);
  });

  it("a touch right after the get that read the session skips SQLite, and its write lock", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute), done));
    const stored = expiryOf("a");
    vi.advanceTimersByTime(30 * 1000);
    await call((done) => store.get("a", done));
    const statement = db.prepare("SELECT 1");
    const run = vi.spyOn(Object.getPrototypeOf(statement), "run");
    try {
      await call((done) => store.touch("a", sessionExpiringIn(30 * minute), done));
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
    expect(expiryOf("a")).toBe(stored);
    // Once the window has passed, the touch after a get writes, as without one.
    vi.advanceTimersByTime(60 * 1000);
    await call((done) => store.get("a", done));
    await call((done) => store.touch("a", sessionExpiringIn(30 * minute), done));
    expect(expiryOf("a")).toBe(Date.now() + 30 * minute);
  });

  it("touch never brings an expired session back", async () => {
    await call((done) => store.set("a", sessionExpiringIn(1 * minute), done));
    vi.advanceTimersByTime(2 * minute);
    await call((done) => store.touch("a", sessionExpiringIn(30 * minute), done));
    expect(await call((done) => store.get("a", done))).toBeNull();
  });

  it("lists live sessions by id for the demo state", async () => {
    await call((done) => store.set("a", sessionExpiringIn(30 * minute, { userId: "u1" }), done));
    await call((done) => store.set("b", sessionExpiringIn(10 * minute, { userId: "u2" }), done));
    const all = await call<Record<string, SessionData>>((done) => store.all(done));
    expect(Object.keys(all ?? {})).toEqual(["b", "a"]);
  });

  it("refuses a session whose cookie has no expiry, which this app never makes", async () => {
    const endless = { cookie: { originalMaxAge: null, httpOnly: true, path: "/" } };
    await expect(
      call((done) => store.set("a", endless as unknown as SessionData, done)),
    ).rejects.toThrow(/without an expiry/);
    expect(expiryOf("a")).toBeUndefined();
  });

  it("reports a database failure through the callback instead of throwing", async () => {
    db.close();
    await expect(call((done) => store.get("a", done))).rejects.toThrow(/database connection/);
  });
});

describe("opening the sqlite session store", () => {
  it("waits while another process holds the file, instead of failing at start", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "session-store-busy-")), "shop.sqlite");
    const other = new Database(file);
    other.pragma("journal_mode = WAL");
    const impatient = new Database(file, { timeout: 0 }); // SQLITE_BUSY at once, no waiting
    other.exec("BEGIN IMMEDIATE"); // another process is creating its tables
    setTimeout(() => other.exec("COMMIT"), 100);
    try {
      const handle = await openSessionStore("sqlite", { database: impatient });
      await handle.close();
    } finally {
      impatient.close();
      other.close();
    }
  });
});

describe("a 20 s idle timeout, over HTTP", () => {
  it("keeps a user who makes a request every 4 s logged in past 20 s", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = await startTestApp({
      config: { sessionIdleTimeoutMs: 20 * 1000, sessionAbsoluteTimeoutMs: 60 * 60 * 1000 },
    });
    try {
      const { agent } = await loginAgent(t.app);
      for (let second = 4; second <= 60; second += 4) {
        vi.advanceTimersByTime(4 * 1000);
        const res = await agent.get(`${P}/cart`);
        expect(res.status, `after ${second} s`).toBe(200);
      }
    } finally {
      await t.close();
      vi.useRealTimers();
    }
  });
});
