import { describe, expect, it } from "vitest";
import { addressKey, LoginThrottle } from "./login-throttle";

function throttleAt(start: number) {
  const clock = { nowMs: start };
  const throttle = new LoginThrottle({
    maxFailuresPerAccount: 3,
    maxFailuresPerAddress: 10,
    windowMs: 60_000,
    lockMs: 120_000,
    now: () => clock.nowMs,
  });
  return { throttle, clock };
}

/** One login attempt whose password check gives `user` (undefined: a wrong password). */
function tryLogin(throttle: LoginThrottle, account: string, address: string, user?: string) {
  return throttle.attempt({ account, address }, async () => user);
}

describe("LoginThrottle", () => {
  it("allows attempts below the limit and locks at it, with the seconds left", async () => {
    const { throttle, clock } = throttleAt(1_000_000);
    await tryLogin(throttle, "alice", "10.0.0.1");
    await tryLogin(throttle, "alice", "10.0.0.1");
    expect(await tryLogin(throttle, "alice", "10.0.0.1")).toMatchObject({ allowed: true });
    expect(await tryLogin(throttle, "alice", "10.0.0.2")).toEqual({
      allowed: false,
      reason: "locked",
      retryAfterSeconds: 120,
    });
    clock.nowMs += 119_500;
    expect(await tryLogin(throttle, "alice", "10.0.0.2")).toMatchObject({ retryAfterSeconds: 1 });
    clock.nowMs += 500;
    expect(await tryLogin(throttle, "alice", "10.0.0.2", "alice")).toEqual({
      allowed: true,
      result: "alice",
    });
  });

  it("forgets failures older than the window", async () => {
    const { throttle, clock } = throttleAt(0);
    await tryLogin(throttle, "alice", "a");
    await tryLogin(throttle, "alice", "a");
    clock.nowMs += 61_000;
    await tryLogin(throttle, "alice", "a");
    expect((await tryLogin(throttle, "alice", "a")).allowed).toBe(true);
  });

  it("clears an account's count on success, and gives the address back only that attempt", async () => {
    const { throttle } = throttleAt(0);
    for (const name of ["user0", "user0", "user1", "user1"]) await tryLogin(throttle, name, "a");
    await tryLogin(throttle, "user0", "a", "user0"); // right: user0 starts afresh
    await tryLogin(throttle, "user0", "a");
    await tryLogin(throttle, "user0", "a");
    expect((await tryLogin(throttle, "user0", "b")).allowed).toBe(true); // 2 of 3 since the success
    // The address kept its 4 failures from before the success: 4 + 2 + 4 = 10, its limit.
    for (const name of ["x1", "x2", "x3", "x4"]) await tryLogin(throttle, name, "a");
    expect(await tryLogin(throttle, "someone-else", "a")).toMatchObject({ allowed: false });
  });

  it("does not count an attempt whose check failed for another reason (a store was down)", async () => {
    const { throttle } = throttleAt(0);
    for (let i = 0; i < 5; i++) {
      const storeDown = () => Promise.reject(new Error("store down"));
      await expect(throttle.attempt({ account: "alice", address: "a" }, storeDown)).rejects.toThrow(
        "store down",
      );
    }
    expect((await tryLogin(throttle, "alice", "a")).allowed).toBe(true);
  });
});

describe("LoginThrottle's sign-up counters", () => {
  const signUp = (throttle: LoginThrottle, name: string, address: string) =>
    throttle.attempt({ kind: "signup", account: name, address }, async () => undefined);

  it("count sign-ups apart from logins, per name and per address", async () => {
    const { throttle } = throttleAt(0); // 3 per account, 10 per address
    for (let i = 0; i < 3; i++) await signUp(throttle, "bob", "a");
    expect(await signUp(throttle, "bob", "a")).toMatchObject({ allowed: false });
    // Neither bob's login nor the login of an account named "signup:bob" was touched.
    expect(await tryLogin(throttle, "bob", "b", "bob")).toMatchObject({ result: "bob" });
    expect(await tryLogin(throttle, "signup:bob", "b", "x")).toMatchObject({ result: "x" });
    // Ten refused sign-ups lock the address for sign-ups, not for logins.
    for (const name of ["c1", "c1", "c1", "c2", "c2", "c2", "c3"])
      await signUp(throttle, name, "a");
    expect(await signUp(throttle, "someone", "a")).toMatchObject({ allowed: false });
    expect(await tryLogin(throttle, "alice", "a", "alice")).toMatchObject({ result: "alice" });
  });
});

describe("LoginThrottle's hashing places", () => {
  /** One slot, a line of 2, one place per address; 1 failure locks an account. */
  const tight = () =>
    new LoginThrottle({
      maxFailuresPerAccount: 1,
      maxFailuresPerAddress: 100,
      windowMs: 60_000,
      lockMs: 60_000,
      hashing: { maxConcurrent: 1, maxWaiting: 2, maxPerAddress: 1 },
      now: () => 0,
    });

  /** A check that runs until `finish()`. */
  function slowCheck() {
    let finish = () => {};
    const done = new Promise<undefined>((resolve) => {
      finish = () => resolve(undefined);
    });
    return { check: () => done, finish };
  }

  it("gives locked attempts no place in the line, so they cannot turn other addresses away", async () => {
    const throttle = tight();
    await tryLogin(throttle, "alice", "a"); // alice is locked now
    const slow = slowCheck();
    const running = throttle.attempt({ account: "bob", address: "b" }, slow.check); // holds the only slot
    for (let i = 0; i < 5; i++) {
      expect(await tryLogin(throttle, "alice", "c")).toMatchObject({
        allowed: false,
        reason: "locked",
      });
    }
    const waiting = tryLogin(throttle, "carol", "d", "carol");
    slow.finish();
    expect(await running).toMatchObject({ allowed: true });
    expect(await waiting).toEqual({ allowed: true, result: "carol" });
  });

  it("gives the place back whatever the check does, so nothing can hold it for good", async () => {
    const throttle = tight();
    // The one way to stop once allowed is a check that throws, and its place comes back.
    const broken = throttle.attempt({ account: "alice", address: "a" }, () => {
      throw new Error("a bug in the caller");
    });
    await expect(broken).rejects.toThrow("a bug in the caller");
    expect(await tryLogin(throttle, "bob", "b", "bob")).toEqual({ allowed: true, result: "bob" });
  });
});

describe("addressKey", () => {
  it("counts IPv4 addresses one by one, IPv4-mapped ones as IPv4, and IPv6 by their /64", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
  });
});
