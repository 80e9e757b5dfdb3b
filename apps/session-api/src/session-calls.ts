// express-session's callback methods as promises that fail the way the HTTP contract says
// (docs/api.md): a store that fails gives 503 `store_unavailable`, never a 500, and never a
// cookie for a session that may not exist.
import { storeUnavailable } from "@repo/shop";
import type { Request } from "express";

/** Deletes the request's session from the store and starts a new one with a fresh random id. */
export function regenerateSession(req: Request): Promise<void> {
  return storeCall(req, (done) => req.session.regenerate(done));
}

/** Writes the session to the store now, before the response goes out. */
export function saveSession(req: Request): Promise<void> {
  return storeCall(req, (done) => req.session.save(done));
}

/** Deletes the session from the store, so its id is dead wherever a copy of the cookie is. */
export function destroySession(req: Request): Promise<void> {
  return storeCall(req, (done) => req.session.destroy(done));
}

/** Drops this request's session and id, so express-session neither sends a cookie nor writes. */
export function forgetSession(req: Request): void {
  Reflect.deleteProperty(req, "session");
  Reflect.deleteProperty(req, "sessionID");
}

/** Runs one callback method; if the store fails, the request forgets its session. */
function storeCall(req: Request, run: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    run((error) => {
      if (!error) {
        resolve();
        return;
      }
      forgetSession(req);
      reject(storeUnavailable());
    });
  });
}
