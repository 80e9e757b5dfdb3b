import type { UserStore } from "@repo/store";

/** The most rows a demo-state table shows, newest first: enough for a workshop room. */
export const maxDemoStateRows = 100;

/** For the demo-state tables: each distinct user looked up once, however many rows are theirs. */
export async function usernamesById(
  users: UserStore,
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  const usernames = new Map<string, string | null>();
  for (const id of new Set(ids)) {
    usernames.set(id, (await users.findUserById(id))?.username ?? null);
  }
  return usernames;
}
