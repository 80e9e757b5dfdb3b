import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle";

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

describe("LoginThrottle", () => {
  it("allows attempts below the limit and locks at it, with the seconds left", async () => {
    const { throttle, clock } = throttleAt(1_000_000);
    await throttle.recordFailure("alice", "10.0.0.1");
    await throttle.recordFailure("alice", "10.0.0.1");
    expect(await throttle.check("alice", "10.0.0.1")).toEqual({ allowed: true });
    await throttle.recordFailure("alice", "10.0.0.1");
    expect(await throttle.check("alice", "10.0.0.2")).toEqual({
      allowed: false,
      retryAfterSeconds: 120,
    });
    clock.nowMs += 119_500;
    expect(await throttle.check("alice", "10.0.0.2")).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    clock.nowMs += 500;
    expect(await throttle.check("alice", "10.0.0.2")).toEqual({ allowed: true });
  });

  it("forgets failures older than the window", async () => {
    const { throttle, clock } = throttleAt(0);
    await throttle.recordFailure("alice", "a");
    await throttle.recordFailure("alice", "a");
    clock.nowMs += 61_000;
    await throttle.recordFailure("alice", "a");
    expect(await throttle.check("alice", "a")).toEqual({ allowed: true });
  });

  it("clears an account's count on success but not its address's", async () => {
    const { throttle } = throttleAt(0);
    for (let i = 0; i < 9; i++) await throttle.recordFailure(`user${i % 2}`, "a");
    await throttle.recordSuccess("user0");
    await throttle.recordFailure("user0", "a");
    expect(await throttle.check("someone-else", "a")).toEqual({
      allowed: false,
      retryAfterSeconds: 120,
    });
  });
});
