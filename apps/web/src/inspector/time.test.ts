import { describe, expect, it } from "vitest";
import { fullTime, relativeTime } from "./time";

const now = Date.parse("2026-12-04T17:00:00Z");

describe("times in the inspector", () => {
  it("give a 7-day expiry its date, so it never reads as one of today's times", () => {
    const text = fullTime("2026-12-11T17:00:00Z", now);
    expect(text).toContain("2026");
    expect(text).toMatch(/Dec/);
    expect(text).toContain("(in 7 days)");
  });

  it("count in the largest unit that fits, before and after now", () => {
    expect(relativeTime(now + 15 * 60_000, now)).toBe("in 15 minutes");
    expect(relativeTime(now - 30_000, now)).toBe("30 seconds ago");
    expect(relativeTime(now + 3 * 3600_000, now)).toBe("in 3 hours");
  });
});
