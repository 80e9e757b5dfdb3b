import { availableParallelism } from "node:os";

/** How many password checks run at once, how many may wait, and how many one address may hold. */
export interface HashingQueueOptions {
  maxConcurrent: number;
  maxWaiting: number;
  /**
   * Running and waiting together. Places are handed out first come, first served, so a flood
   * from one client gets this many and a 429 for the rest, while everyone else keeps their place.
   */
  maxPerAddress: number;
}

/**
 * How many passwords may hash at once: one CPU fewer than this process may use, at least one,
 * at most 4. scrypt (128 MiB a hash) runs on libuv's thread pool, 4 threads by default, and each
 * hash keeps a CPU busy for about half a second. With as many hashes as CPUs or more, the event
 * loop must fight the hashing threads for a core, and every other request waits: on a busy
 * 2-CPU machine, cart reads during 32 logins had a p99 of 60-190 ms with 4 at once (session)
 * and 20-30 ms with 1, for logins that took about a third longer in all (`npm run bench`'s
 * login storm). More than 4 would only queue in the pool (unless UV_THREADPOOL_SIZE is raised)
 * and hold more memory.
 */
export function hashingConcurrency(cpus: number = availableParallelism()): number {
  return Math.min(4, Math.max(1, cpus - 1));
}

/** The queue's bounds: `hashingConcurrency()` at once, 64 waiting, 2 places per address. */
export const defaultHashingQueueOptions: HashingQueueOptions = {
  maxConcurrent: hashingConcurrency(),
  maxWaiting: 64,
  maxPerAddress: 2,
};

/** A place in the queue: `ready` settles when the check may start; `leave` frees the place. */
export interface HashingTurn {
  ready: Promise<void>;
  leave(): void;
}

/**
 * A bounded, first-come queue in front of the password hasher. A request that finds its
 * address's share or the whole queue full is refused at once (the caller answers 429), instead
 * of waiting behind a flood: without it, 60 parallel bogus logins from one address made a real
 * login from another wait 27 s.
 */
export class HashingQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly options: HashingQueueOptions = defaultHashingQueueOptions) {}

  /** A place for `address`, or undefined when there is no room for it. */
  enter(address: string): HashingTurn | undefined {
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.options.maxPerAddress) return undefined;
    const mustWait = this.running >= this.options.maxConcurrent;
    if (mustWait && this.waiting.length >= this.options.maxWaiting) return undefined;
    this.perAddress.set(address, held + 1);

    let started = !mustWait;
    let start = () => {};
    const ready = new Promise<void>((resolve) => {
      start = () => {
        started = true;
        resolve();
      };
    });
    if (mustWait) this.waiting.push(start);
    else {
      this.running += 1;
      start();
    }
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      const remaining = (this.perAddress.get(address) ?? 1) - 1;
      if (remaining > 0) this.perAddress.set(address, remaining);
      else this.perAddress.delete(address);
      // A running place hands its slot to the next in line. One still waiting gives up its spot
      // in the line at once: left there until a check ended, places that come and go could fill
      // the line and turn everyone else away.
      if (started) this.handOn();
      else this.waiting.splice(this.waiting.indexOf(start), 1);
    };
    return { ready, leave };
  }

  private handOn(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
