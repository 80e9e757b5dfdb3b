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
async function tryLogin(throttle: LoginThrottle, account: string, address: string, user?: string) {
  const attempt = await throttle.begin(account, address);
  if (!attempt.allowed) return attempt;
  return { allowed: true, user: await attempt.verify(async () => user) };
}

describe("LoginThrottle", () => {
  it("allows attempts below the limit and locks at it, with the seconds left", async () => {
    const { throttle, clock } = throttleAt(1_000_000);
    await tryLogin(throttle, "alice", "10.0.0.1");
    await tryLogin(throttle, "alice", "10.0.0.1");
    expect(await tryLogin(throttle, "alice", "10.0.0.1")).toMatchObject({ allowed: true });
    expect(await throttle.begin("alice", "10.0.0.2")).toEqual({
      allowed: false,
      reason: "locked",
      retryAfterSeconds: 120,
    });
    clock.nowMs += 119_500;
    expect(await throttle.begin("alice", "10.0.0.2")).toMatchObject({ retryAfterSeconds: 1 });
    clock.nowMs += 500;
    expect(await tryLogin(throttle, "alice", "10.0.0.2", "alice")).toEqual({
      allowed: true,
      user: "alice",
    });
  });

  it("forgets failures older than the window", async () => {
    const { throttle, clock } = throttleAt(0);
    await tryLogin(throttle, "alice", "a");
    await tryLogin(throttle, "alice", "a");
    clock.nowMs += 61_000;
    await tryLogin(throttle, "alice", "a");
    expect((await throttle.begin("alice", "a")).allowed).toBe(true);
  });

  it("clears an account's count on success, and gives the address back only that attempt", async () => {
    const { throttle } = throttleAt(0);
    for (const name of ["user0", "user0", "user1", "user1"]) await tryLogin(throttle, name, "a");
    await tryLogin(throttle, "user0", "a", "user0"); // right: user0 starts afresh
    await tryLogin(throttle, "user0", "a");
    await tryLogin(throttle, "user0", "a");
    expect((await throttle.begin("user0", "b")).allowed).toBe(true); // 2 of 3 since the success
    // The address kept its 4 failures from before the success: 4 + 2 + 4 = 10, its limit.
    for (const name of ["x1", "x2", "x3", "x4"]) await tryLogin(throttle, name, "a");
    expect(await throttle.begin("someone-else", "a")).toMatchObject({ allowed: false });
  });

  it("does not count an attempt whose check failed for another reason (a store was down)", async () => {
    const { throttle } = throttleAt(0);
    for (let i = 0; i < 5; i++) {
      const attempt = await throttle.begin("alice", "a");
      if (!attempt.allowed) throw new Error("refused too early");
      await expect(attempt.verify(() => Promise.reject(new Error("store down")))).rejects.toThrow(
        "store down",
      );
    }
    expect((await throttle.begin("alice", "a")).allowed).toBe(true);
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
