import { describe, expect, it } from "vitest";
import { alternatingSchedule } from "./schedule";

describe("alternatingSchedule", () => {
  it("alternates which side goes first: baseline, mode, mode, baseline, ...", () => {
    const sides = alternatingSchedule(4).map((window) => window.side[0]);
    expect(sides.join("")).toBe("bmmbbmmb");
  });

  it("gives every pair one window of each side, next to each other", () => {
    const windows = alternatingSchedule(7);
    expect(windows).toHaveLength(14);
    for (let pair = 0; pair < 7; pair++) {
      const [first, second] = windows.slice(2 * pair, 2 * pair + 2);
      expect(first?.pair).toBe(pair);
      expect(second?.pair).toBe(pair);
      expect(new Set([first?.side, second?.side])).toEqual(new Set(["baseline", "mode"]));
    }
  });

  it("refuses a count of pairs that is not a whole number above 0", () => {
    expect(() => alternatingSchedule(0)).toThrow(RangeError);
    expect(() => alternatingSchedule(1.5)).toThrow(RangeError);
  });
});
