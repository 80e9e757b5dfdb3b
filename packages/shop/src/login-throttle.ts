/** How many failed logins are allowed, per what, and for how long a lock lasts. */
export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowMs: number;
  lockMs: number;
  now?: () => number;
}

export const defaultLoginThrottleOptions: LoginThrottleOptions = {
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  windowMs: 15 * 60 * 1000, // 15 minutes
  lockMs: 15 * 60 * 1000, // 15 minutes
};

/** Past this many tracked names and addresses, expired entries are swept before adding more. */
const maxTrackedKeys = 10_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Counter {
  failures: number;
  windowStartMs: number;
  lockedUntilMs: number;
}

/**
 * Counts failed logins per account and per client address (OWASP Authentication Cheat Sheet,
 * "Protect against automated attacks"). Unknown accounts are counted like real ones, so the
 * answer never tells an attacker which usernames exist. Async so a Redis-backed version can
 * replace this in-memory one when several instances share the load.
 */
export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();
  private readonly options: Required<LoginThrottleOptions>;

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.options = { now: Date.now, ...defaultLoginThrottleOptions, ...options };
  }

  /** Whether a login attempt may go ahead; call before checking the password. */
  async check(accountKey: string, address: string): Promise<ThrottleVerdict> {
    const nowMs = this.options.now();
    const lockedUntilMs = Math.max(
      this.lockedUntil(`account:${accountKey}`, nowMs),
      this.lockedUntil(`address:${address}`, nowMs),
    );
    if (lockedUntilMs <= nowMs) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.ceil((lockedUntilMs - nowMs) / 1000) };
  }

  async recordFailure(accountKey: string, address: string): Promise<void> {
    const nowMs = this.options.now();
    this.bump(`account:${accountKey}`, this.options.maxFailuresPerAccount, nowMs);
    this.bump(`address:${address}`, this.options.maxFailuresPerAddress, nowMs);
  }

  /** A correct password clears the account's count (not the address's: one good login
   * must not reset an attacker's budget against every other account). */
  async recordSuccess(accountKey: string): Promise<void> {
    this.counters.delete(`account:${accountKey}`);
  }

  private lockedUntil(key: string, nowMs: number): number {
    const counter = this.counters.get(key);
    if (!counter) return 0;
    if (counter.lockedUntilMs <= nowMs && nowMs - counter.windowStartMs > this.options.windowMs) {
      this.counters.delete(key); // forget old entries so the map cannot grow without bound
      return 0;
    }
    return counter.lockedUntilMs;
  }

  private bump(key: string, maxFailures: number, nowMs: number): void {
    if (this.counters.size >= maxTrackedKeys) this.forgetExpired(nowMs);
    let counter = this.counters.get(key);
    if (!counter || nowMs - counter.windowStartMs > this.options.windowMs) {
      counter = { failures: 0, windowStartMs: nowMs, lockedUntilMs: 0 };
      this.counters.set(key, counter);
    }
    counter.failures += 1;
    if (counter.failures >= maxFailures) {
      counter.lockedUntilMs = nowMs + this.options.lockMs;
      counter.failures = 0;
      counter.windowStartMs = nowMs;
    }
  }

  private forgetExpired(nowMs: number): void {
    for (const key of [...this.counters.keys()]) this.lockedUntil(key, nowMs);
  }
}
