/**
 * A backing store did not answer in time: PostgreSQL is down or silent, or another process has
 * held the SQLite file's write lock for too long. Expected, not a bug: the HTTP layer answers
 * 503 `store_unavailable`, and the next request tries again.
 */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}
