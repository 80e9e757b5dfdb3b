import { describe, expect, it } from "vitest";
import { HashingQueue, hashingConcurrency } from "./hashing-queue";

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("HashingQueue", () => {
  it("gives one address only its share, waiting or running", () => {
    const queue = new HashingQueue({ maxConcurrent: 4, maxWaiting: 10, maxPerAddress: 2 });
    expect(queue.enter("a")).toBeDefined();
    expect(queue.enter("a")).toBeDefined();
    expect(queue.enter("a")).toBeUndefined();
    expect(queue.enter("b")).toBeDefined();
  });

  it("runs up to its limit at once, lets a bounded line wait, and refuses past it", async () => {
    const queue = new HashingQueue({ maxConcurrent: 1, maxWaiting: 1, maxPerAddress: 1 });
    const first = queue.enter("a");
    const second = queue.enter("b");
    expect(queue.enter("c")).toBeUndefined();
    if (!first || !second) throw new Error("refused too early");
    expect(await settled(first.ready)).toBe(true);
    expect(await settled(second.ready)).toBe(false);
    first.leave();
    expect(await settled(second.ready)).toBe(true);
    second.leave();
    expect(queue.enter("c")).toBeDefined();
  });

  it("hands the slot on when a place leaves before its turn", async () => {
    const queue = new HashingQueue({ maxConcurrent: 1, maxWaiting: 2, maxPerAddress: 1 });
    const first = queue.enter("a");
    const quitter = queue.enter("b");
    const third = queue.enter("c");
    if (!first || !quitter || !third) throw new Error("refused too early");
    quitter.leave();
    first.leave();
    expect(await settled(third.ready)).toBe(true);
    expect(queue.enter("b")).toBeDefined(); // b's share came back when it left
  });

  it("frees a waiting place at once when it leaves before its turn", () => {
    const queue = new HashingQueue({ maxConcurrent: 1, maxWaiting: 1, maxPerAddress: 1 });
    expect(queue.enter("a")).toBeDefined(); // running, and stays so
    const quitter = queue.enter("b");
    if (!quitter) throw new Error("refused too early");
    quitter.leave();
    // The line is empty again: a place that left must not hold its spot until a check ends.
    expect(queue.enter("c")).toBeDefined();
  });
});

describe("hashingConcurrency", () => {
  it("leaves the event loop a CPU of its own: one hash fewer than CPUs, at least one", () => {
    expect(hashingConcurrency(1)).toBe(1);
    expect(hashingConcurrency(2)).toBe(1);
    expect(hashingConcurrency(4)).toBe(3);
  });

  it("never asks for more than libuv's default pool of 4 threads", () => {
    expect(hashingConcurrency(16)).toBe(4);
  });
});
