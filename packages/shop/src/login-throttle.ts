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

/** The outcome of `begin`: refused with a wait, or allowed with a way to check the password. */
export type LoginAttempt =
  | { allowed: false; reason: "locked" | "busy"; retryAfterSeconds: number }
  | {
      allowed: true;
      /** Runs the password check in this attempt's turn and settles the count by its result. */
      verify<Result>(check: () => Promise<Result | undefined>): Promise<Result | undefined>;
    };

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

  /** Asks to try `accountKey`'s password from `address`; call before any password work. */
  async begin(accountKey: string, address: string): Promise<LoginAttempt> {
    const turn = this.queue.enter(addressKey(address));
    if (!turn) {
      return { allowed: false, reason: "busy", retryAfterSeconds: queueFullRetryAfterSeconds };
    }
    const account = counterKey("account", accountKey);
    const client = counterKey("address", addressKey(address));
    const { store, windowMs, lockMs } = this.options;
    let reservation: Awaited<ReturnType<ThrottleStore["reserve"]>>;
    try {
      reservation = await store.reserve(
        [
          { key: account, maxAttempts: this.options.maxFailuresPerAccount },
          { key: client, maxAttempts: this.options.maxFailuresPerAddress },
        ],
        { windowMs, lockMs },
        this.options.now(),
      );
    } catch (error) {
      turn.leave();
      throw error;
    }
    if (!reservation.allowed) {
      turn.leave();
      const retryAfterSeconds = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
      return { allowed: false, reason: "locked", retryAfterSeconds };
    }

    return {
      allowed: true,
      verify: async (check) => {
        let result: Awaited<ReturnType<typeof check>>;
        try {
          await turn.ready;
          result = await check();
        } catch (error) {
          // No answer about the password (a store failed): not a guess, so not counted.
          await store.release(account, this.options.now()).catch(() => {});
          await store.release(client, this.options.now()).catch(() => {});
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
        return result;
      },
    };
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
function counterKey(kind: "account" | "address", value: string): string {
  return `${kind}:${createHash("sha256").update(value).digest("base64url")}`;
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
