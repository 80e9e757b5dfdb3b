// A user's sessions, found by reading the whole session table: for "log out everywhere" and a
// password change, which end every session of one user, and for the demo state.
//
// A scan, not an index: express-session's `Store` has no "sessions of user X", and every store
// here (memory, SQLite, Redis, PostgreSQL) can list all it holds, so one function serves them
// all. It costs a read of every session, fine for actions as rare as these in a shop this size;
// it is not bounded on purpose, since a session the scan skipped would outlive the password
// change. At scale, keep an index instead (a user_id column with an index in SQL, a set of
// session ids per user in Redis), so the cost follows one user's sessions, not everyone's.
import { storeUnavailable } from "@repo/shop";
import type { SessionData, Store } from "express-session";

type StoredSessions = SessionData[] | Record<string, SessionData> | null | undefined;

/** Every live session the store holds, with its id; a failing store gives 503. */
export function listSessions(store: Store): Promise<[string, SessionData][]> {
  const { all } = store;
  if (!all) throw new Error("this session store cannot list its sessions");
  return new Promise((resolve, reject) => {
    all.call(store, (error: unknown, result: StoredSessions) => {
      if (error) {
        reject(storeUnavailable());
        return;
      }
      // MemoryStore and ours answer with an object keyed by id; connect-redis with an array.
      if (Array.isArray(result)) {
        resolve(result.map((data) => [(data as SessionData & { id: string }).id, data]));
      } else {
        resolve(Object.entries(result ?? {}));
      }
    });
  });
}

/**
 * Deletes every session of `userId` but `keepSessionId` (the caller's, which its own handler
 * ends or renews); returns how many were deleted.
 */
export async function destroyUserSessions(
  store: Store,
  userId: string,
  keepSessionId: string,
): Promise<number> {
  const doomed = (await listSessions(store))
    .filter(([sid, data]) => data.userId === userId && sid !== keepSessionId)
    .map(([sid]) => sid);
  for (const sid of doomed) {
    await new Promise<void>((resolve, reject) => {
      store.destroy(sid, (error?: unknown) => (error ? reject(storeUnavailable()) : resolve()));
    });
  }
  return doomed.length;
}
