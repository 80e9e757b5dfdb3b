// Demo mode only: a session store the labs can switch at run time (memory, SQLite, Redis,
// PostgreSQL), so a student sees what a restart does to each without restarting anything.
// express-session is given one store object for its whole life, so this one passes every call
// on to whichever store is in force. A real app opens its one store and never needs this.
import { type SessionData, Store } from "express-session";
import type { SessionStoreKind } from "./config";
import { openSessionStore, type SessionStoreHandle } from "./session-stores";

type OpenDeps = Parameters<typeof openSessionStore>[1];
type Callback<Value = void> = (error?: unknown, value?: Value) => void;

/** A session store handle whose store the demo settings can switch, and restart. */
export interface SwitchableSessionStore extends SessionStoreHandle {
  /** The store SESSION_STORE chose, which reset goes back to. */
  readonly configuredKind: SessionStoreKind;
  /** The kinds this process can switch to: memory, and the stores its config can reach. */
  readonly choices: readonly SessionStoreKind[];
  /** Makes `kind` the store in force, opening it the first time; throws if it cannot open. */
  switchTo(kind: SessionStoreKind): Promise<void>;
  /** What a process restart does to sessions: memory's are gone, the others stay. */
  restart(): Promise<{ dropped: number }>;
}

/** Passes every express-session call on to the store in force. */
class SwitchingStore extends Store {
  constructor(private readonly inForce: () => Store) {
    super();
  }
  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.inForce().get(sid, callback);
  }
  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.inForce().set(sid, session, callback);
  }
  override touch(sid: string, session: SessionData, callback?: Callback): void {
    const store = this.inForce();
    if (store.touch) store.touch(sid, session, callback);
    else callback?.();
  }
  override destroy(sid: string, callback?: Callback): void {
    this.inForce().destroy(sid, callback);
  }
  override all(callback: Callback<SessionData[] | Record<string, SessionData> | null>): void {
    const store = this.inForce();
    if (store.all) store.all(callback);
    else callback(null, null);
  }
  override length(callback: Callback<number>): void {
    const store = this.inForce();
    if (store.length) store.length(callback);
    else callback(null, 0);
  }
  override clear(callback?: Callback): void {
    const store = this.inForce();
    if (store.clear) store.clear(callback);
    else callback?.();
  }
}

/** Opens the configured store as `openSessionStore` does, ready to switch to the others. */
export async function openSwitchableSessionStore(
  configuredKind: SessionStoreKind,
  deps: OpenDeps,
): Promise<SwitchableSessionStore> {
  const opened = new Map<SessionStoreKind, SessionStoreHandle>();
  let current = await openSessionStore(configuredKind, deps);
  opened.set(configuredKind, current);
  // Memory always; SQLite and PostgreSQL when the shop lives there; Redis when REDIS_URL is set.
  const reachable: Record<SessionStoreKind, boolean> = {
    memory: true,
    sqlite: deps.database !== undefined,
    redis: deps.redisUrl !== undefined,
    postgres: deps.postgres !== undefined,
  };
  const choices = (Object.keys(reachable) as SessionStoreKind[]).filter(
    (kind) => reachable[kind] || kind === configuredKind,
  );

  /** Forgets every session held in this process's memory, as a process exit would. */
  const dropMemorySessions = async (): Promise<number> => {
    const memory = opened.get("memory");
    return memory ? emptyStore(memory.store) : 0;
  };

  return {
    configuredKind,
    choices,
    get kind() {
      return current.kind;
    },
    store: new SwitchingStore(() => current.store),
    healthCheck: () => current.healthCheck(),
    // #region switch-store
    async switchTo(kind) {
      if (kind === current.kind) return;
      let next = opened.get(kind);
      if (!next) {
        next = await openSessionStore(kind, deps);
        opened.set(kind, next);
      }
      // Switching stands for a restart with another SESSION_STORE: sessions kept in memory
      // would not outlive it, so they go; the others wait in their store.
      if (current.kind === "memory") await dropMemorySessions();
      current = next;
    },
    // #endregion
    async restart() {
      return { dropped: current.kind === "memory" ? await dropMemorySessions() : 0 };
    },
    async close() {
      for (const handle of opened.values()) await handle.close();
    },
  };
}

/** Deletes every session of a store; returns how many there were. */
async function emptyStore(store: Store): Promise<number> {
  const count = await call<number>((done) => (store.length ? store.length(done) : done(null, 0)));
  await call((done) => (store.clear ? store.clear(done) : done()));
  return count ?? 0;
}

/** express-session's callback style as a promise. */
function call<Value = void>(run: (done: Callback<Value>) => void): Promise<Value | undefined> {
  return new Promise((resolve, reject) => {
    run((error, value) => (error ? reject(error) : resolve(value)));
  });
}

/**
 * A store opened with `openSessionStore`, which cannot switch (the conformance suite and the
 * benchmarks open theirs that way): its own kind is the only choice, and a restart still empties
 * it when it is the MemoryStore.
 */
export function fixedSessionStore(handle: SessionStoreHandle): SwitchableSessionStore {
  return {
    ...handle,
    configuredKind: handle.kind,
    choices: [handle.kind],
    async switchTo(kind) {
      if (kind !== handle.kind) throw new Error(`this store cannot switch to ${kind}`);
    },
    async restart() {
      return { dropped: handle.kind === "memory" ? await emptyStore(handle.store) : 0 };
    },
  };
}

/** Whether a handle came from `openSwitchableSessionStore`. */
export function isSwitchable(
  handle: SessionStoreHandle | SwitchableSessionStore,
): handle is SwitchableSessionStore {
  return "switchTo" in handle;
}
