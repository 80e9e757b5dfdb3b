import { createHash } from "node:crypto";
import { isIPv6 } from "node:net";
import { createMemoryThrottleStore, type ThrottleStore } from "@repo/store";
import {
  defaultHashingQueueOptions,
  HashingQueue,
  type HashingQueueOptions,
} from "./hashing-queue";

/** How many failed logins are allowed, per what, for how long; and the hashing queue's bounds. */
export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowMs: number;
  lockMs: number;
  hashing: HashingQueueOptions;
  /** Where attempts are counted: a store every backend process shares (`openLoginThrottle`). */
  store: ThrottleStore;
  now: () => number;
}

export const defaultLoginThrottleOptions = {
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  windowMs: 15 * 60 * 1000, // 15 minutes
  lockMs: 15 * 60 * 1000, // 15 minutes
  hashing: defaultHashingQueueOptions,
} satisfies Partial<LoginThrottleOptions>;

/** How long a client turned away by a full hashing queue should wait: about one hash. */
const queueFullRetryAfterSeconds = 1;

/** Refused before any password work: locked by failures, or no room in the hashing queue. */
export type AttemptRefused = {
  allowed: false;
  reason: "locked" | "busy";
  retryAfterSeconds: number;
};

/** The outcome of `attempt`: refused with a wait, or allowed with the check's result. */
export type LoginAttempt<Result> = AttemptRefused | { allowed: true; result: Result | undefined };

/** Who is guessing what: the account (its canonical name) and the client's address. */
export interface AttemptSubject {
  /**
   * "login" (the default; a password change too) or "signup", the taking of the name `account`.
   * Sign-ups have counters of their own, per name and per address, so probing a name cannot
   * lock its owner out, and sign-ups cannot spend an address's logins (docs/api.md).
   */
  kind?: "login" | "signup";
  account: string;
  address: string;
}

/**
 * Limits password guessing (OWASP Authentication Cheat Sheet, "Protect against automated
 * attacks"), per account and per client address. Every attempt is counted *before* its
 * password is checked, in one atomic step of a store all backend processes share, and given
 * back if the password was right: so parallel guesses cannot slip past the limit, and a lock
 * set through one backend holds in the other. Unknown accounts are counted like real ones, so
 * a 429 never tells which usernames exist. In front of the hasher, a bounded queue gives each
 * address a small share, so one client's flood cannot starve everyone else's logins.
 */
export class LoginThrottle {
  private readonly options: LoginThrottleOptions;
  private readonly queue: HashingQueue;

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.options = {
      ...defaultLoginThrottleOptions,
      store: createMemoryThrottleStore(),
      now: Date.now,
      ...options,
    };
    this.queue = new HashingQueue(this.options.hashing);
  }

  /**
   * Runs `check` (the password check: undefined means wrong) as one attempt on `subject`,
   * counted before it runs and settled by its result. One call holds the whole turn, reserve,
   * queue, check and release, so no caller can leave a hashing place taken.
   */
  async attempt<Result>(
    subject: AttemptSubject,
    check: () => Promise<Result | undefined>,
  ): Promise<LoginAttempt<Result>> {
    const prefix = subject.kind === "signup" ? "signup-" : "";
    const account = counterKey(`${prefix}account`, subject.account);
    const client = counterKey(`${prefix}address`, addressKey(subject.address));
    const { store, windowMs, lockMs } = this.options;
    const giveBack = async () => {
      await store.release(account, this.options.now()).catch(() => {});
      await store.release(client, this.options.now()).catch(() => {});
    };
    // Counted first, so a locked attempt, which costs its sender nothing, never takes a place
    // in the hashing queue: it could otherwise fill the line and turn every other address away.
    const reservation = await store.reserve(
      [
        { key: account, maxAttempts: this.options.maxFailuresPerAccount },
        { key: client, maxAttempts: this.options.maxFailuresPerAddress },
      ],
      { windowMs, lockMs },
      this.options.now(),
    );
    if (!reservation.allowed) {
      const retryAfterSeconds = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
      return { allowed: false, reason: "locked", retryAfterSeconds };
    }
    const turn = this.queue.enter(addressKey(subject.address));
    if (!turn) {
      await giveBack(); // never checked: not a guess
      return { allowed: false, reason: "busy", retryAfterSeconds: queueFullRetryAfterSeconds };
    }
    let result: Result | undefined;
    try {
      await turn.ready;
      result = await check();
    } catch (error) {
      await giveBack(); // no answer about the password (a store failed): not a guess
      throw error;
    } finally {
      turn.leave();
    }
    if (result !== undefined) {
      // The right password: the account starts afresh, and the address gets this attempt
      // back (not its whole count, or one good login would reset an attacker's budget).
      await store.reset(account);
      await store.release(client, this.options.now());
    }
    return { allowed: true, result };
  }

  /** For `GET P/health`: rejects while the shared store is down. */
  healthCheck(): Promise<unknown> {
    return this.options.store.healthCheck();
  }
}

/**
 * The store never sees a typed username (sometimes a password typed in the wrong field) or an
 * address, only a hash of it: enough to count, nothing worth reading.
 */
function counterKey(counter: `${"" | "signup-"}${"account" | "address"}`, value: string) {
  // The counter's name is a prefix no username can forge: the value is hashed after it.
  return `${counter}:${createHash("sha256").update(value).digest("base64url")}`;
}

/**
 * IPv4 addresses count one by one; IPv6 addresses by their /64 network, since one client
 * (one home, one server) usually holds a whole /64 and could otherwise use a fresh address for
 * every guess.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = address.includes("::") && tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array(Math.max(0, missing)).fill("0"), ...tailGroups];
  const network = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
  return `${network.join(":")}::/64`;
}
