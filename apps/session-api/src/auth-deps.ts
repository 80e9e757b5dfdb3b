// What auth.ts's routes are built from: app.ts fills it from the config and the stores.
import type { LoginThrottle } from "@repo/shop";
import type { UserStore } from "@repo/store";
import type { Store } from "express-session";

/** What the auth routes need; `app.ts` builds it from config and the stores. */
export interface AuthDeps {
  users: UserStore;
  throttle: LoginThrottle;
  /** Production: cookies are Secure (HTTPS only) whatever the request came over. */
  isProduction: boolean;
  /** Origins besides our own that may send unsafe requests (CSRF_TRUSTED_ORIGINS). */
  trustedOrigins: string[];
  /** The clock in milliseconds: `Date.now`, or a test's clock that can jump ahead. */
  now: () => number;
  /** Where the sessions live: SQLite, Redis, PostgreSQL or memory (session-stores.ts). In demo
   * mode, a store that passes each call to the one the labs chose (switchable-session-store.ts). */
  store: Store;
  /** Newest first: the first signs new cookies, all of them are accepted (rotation). */
  secrets: string[];
  /** Logged out after this long without a request: the cookie's max age, renewed each time. */
  idleTimeoutMs: number;
  /** Logged out this long after login, however busy the session (checked in `requireUser`). */
  absoluteTimeoutMs: number;
}
