// What auth.ts's routes are built from: app.ts fills it from the config and the stores.
import type { LoginThrottle } from "@repo/shop";
import type { UserStore } from "@repo/store";
import type { TokenKeys } from "./keys";
import type { TokenStateStore } from "./token-state";

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
  keys: TokenKeys;
  /** Read on every login and refresh, never copied: demo mode may change it at run time. */
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshAbsoluteTimeoutSeconds: number;
  /** JWT_DENYLIST=1: logout denylists the access token, and every request checks the list.
   * Read on every request, like the lifetime: demo mode may switch it at run time. */
  denylist: boolean;
  /** JWT_USER_CUTOFF=1: every request loads the account and applies its cut-off. Read on every
   * request: demo mode may switch it at run time. */
  userCutoff: boolean;
  /** Refresh token families and the denylist: the little this backend keeps. */
  tokenState: TokenStateStore;
  /** The server's log, for what an operator must hear about: a refresh token used twice. */
  log: (line: string) => void;
}
