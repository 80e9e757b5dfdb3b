// Counters of login attempts, for the login throttle (packages/shop/src/login-throttle.ts).
// Kept in a store every backend process shares, so a lock set through one is a lock in all.

/** One counter an attempt is counted against, and how many attempts it allows. */
export interface ThrottleLimit {
  /** An opaque key, such as a hash of the account name or the client address. */
  key: string;
  maxAttempts: number;
}

/** How long attempts are remembered, and how long a counter that reached its limit stays locked. */
export interface ThrottleWindow {
  windowMs: number;
  lockMs: number;
}

export type ThrottleReservation = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Where attempts are counted. A counter lives for `windowMs` from its first attempt; once an
 * attempt brings it to its limit, it lives on until `lockMs` after that attempt, and while it
 * is at its limit every reservation is refused. Async so SQLite, Redis and PostgreSQL can all
 * implement it; `describeThrottleStoreContract` holds the behaviour they must share.
 */
export interface ThrottleStore {
  /**
   * In one atomic step: if no counter is at its limit, counts one attempt against each and
   * allows it; otherwise counts nothing and refuses, with the time until the last lock ends.
   * Atomic, so of many parallel attempts only as many as the limit are allowed.
   */
  reserve(
    limits: readonly ThrottleLimit[],
    window: ThrottleWindow,
    nowMs: number,
  ): Promise<ThrottleReservation>;
  /** Gives one counted attempt back to `key`'s counter (the attempt was not a failure). */
  release(key: string, nowMs: number): Promise<void>;
  /** Forgets `key`'s counter. */
  reset(key: string): Promise<void>;
  /** For `GET P/health`: rejects while the store is down. */
  healthCheck(): Promise<unknown>;
}

/** A counter as a store keeps it. */
export interface ThrottleCounter {
  attempts: number;
  resetAtMs: number;
}

/**
 * The rule of `ThrottleStore.reserve`, for stores that read the counters, decide here and write
 * the result back inside one transaction. `counters[i]` belongs to `limits[i]`. Allowed, it
 * gives each counter's new value; refused, nothing is to be written.
 */
export function decideReservation(
  counters: readonly (ThrottleCounter | undefined)[],
  limits: readonly ThrottleLimit[],
  window: ThrottleWindow,
  nowMs: number,
): { allowed: true; next: ThrottleCounter[] } | { allowed: false; retryAfterMs: number } {
  const live = limits.map((limit, index) => {
    const stored = counters[index];
    const counter =
      stored && stored.resetAtMs > nowMs
        ? stored
        : { attempts: 0, resetAtMs: nowMs + window.windowMs };
    return { limit, counter };
  });
  const locked = live.filter(({ limit, counter }) => counter.attempts >= limit.maxAttempts);
  if (locked.length > 0) {
    const retryAfterMs = Math.max(...locked.map(({ counter }) => counter.resetAtMs - nowMs));
    return { allowed: false, retryAfterMs };
  }
  const next = live.map(({ limit, counter }) => {
    const attempts = counter.attempts + 1;
    // The attempt that reaches the limit starts the lock, counted from now.
    const resetAtMs =
      attempts >= limit.maxAttempts
        ? Math.max(counter.resetAtMs, nowMs + window.lockMs)
        : counter.resetAtMs;
    return { attempts, resetAtMs };
  });
  return { allowed: true, next };
}

/** The memory store's bound: past it, expired counters are forgotten, and live ones never. */
const maxMemoryCounters = 10_000;

/**
 * Counters in this process's memory: for tests and a single process only. Two processes (the
 * two backends, or several instances) each count apart, and a restart forgets every lock. It
 * holds at most `maxCounters`: when a spray of fresh names or addresses has filled it with live
 * counters, an attempt that needs a new one is refused until the oldest expires. Forgetting a
 * live counter instead would let the spray wipe the locks it is meant to keep.
 */
export function createMemoryThrottleStore(options: { maxCounters?: number } = {}): ThrottleStore {
  const maxCounters = options.maxCounters ?? maxMemoryCounters;
  const counters = new Map<string, ThrottleCounter>();
  const forgetExpired = (nowMs: number) => {
    for (const [key, counter] of counters) if (counter.resetAtMs <= nowMs) counters.delete(key);
  };
  return {
    async reserve(limits, window, nowMs) {
      const added = limits.filter((limit) => !counters.has(limit.key)).length;
      if (counters.size + added > maxCounters) forgetExpired(nowMs);
      const fresh = limits.filter((limit) => !counters.has(limit.key)).length;
      if (counters.size + fresh > maxCounters) {
        const soonest = Math.min(...[...counters.values()].map((counter) => counter.resetAtMs));
        return { allowed: false, retryAfterMs: Math.max(1, soonest - nowMs) };
      }
      const decision = decideReservation(
        limits.map((limit) => counters.get(limit.key)),
        limits,
        window,
        nowMs,
      );
      if (!decision.allowed) return decision;
      decision.next.forEach((counter, index) => {
        const key = limits[index]?.key;
        if (key !== undefined) counters.set(key, counter);
      });
      return { allowed: true };
    },
    async release(key, nowMs) {
      const counter = counters.get(key);
      if (counter && counter.resetAtMs > nowMs && counter.attempts > 0) counter.attempts -= 1;
    },
    async reset(key) {
      counters.delete(key);
    },
    async healthCheck() {},
  };
}
