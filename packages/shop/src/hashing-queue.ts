/** How many password checks run at once, how many may wait, and how many one address may hold. */
export interface HashingQueueOptions {
  maxConcurrent: number;
  maxWaiting: number;
  /** Running and waiting together; below `maxConcurrent`, so one address never holds them all. */
  maxPerAddress: number;
}

/**
 * scrypt runs on libuv's thread pool, 4 threads by default, at 128 MiB a hash: 4 at once keeps
 * every thread busy and memory bounded. One address may hold 2 of those places, waiting or
 * running, so a flood from one client leaves the other 2 to everyone else.
 */
export const defaultHashingQueueOptions: HashingQueueOptions = {
  maxConcurrent: 4,
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
