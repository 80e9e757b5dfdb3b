import { describe, expect, it } from "vitest";
import { cpuCost, median, ratioSpread, spread } from "./stats";

describe("median", () => {
  it("is the middle value of an odd count, whatever the order", () => {
    expect(median([5, 1, 3])).toBe(3);
  });

  it("is the mean of the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("refuses an empty list rather than inventing a number", () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe("spread", () => {
  it("gives the median with the smallest and largest value", () => {
    expect(spread([0.7, 0.65, 1.01, 0.71, 0.68])).toEqual({ median: 0.7, min: 0.65, max: 1.01 });
  });
});

describe("ratioSpread", () => {
  it("takes one ratio per pair, mode over baseline, before the median", () => {
    const pairs = [
      { baselinePerSecond: 1000, modePerSecond: 500 },
      { baselinePerSecond: 400, modePerSecond: 300 },
      { baselinePerSecond: 2000, modePerSecond: 1200 },
    ];
    // Per pair: 0.5, 0.75, 0.6. A ratio of medians (1200 / 1000) would say 1.2.
    expect(ratioSpread(pairs)).toEqual({ median: 0.6, min: 0.5, max: 0.75 });
  });
});

describe("cpuCost", () => {
  it("divides each side's CPU time by its requests, and compares baseline over mode", () => {
    const cost = cpuCost(
      { cpuMs: 900, requests: 3000, windowMs: 2100 },
      { cpuMs: 1200, requests: 2000, windowMs: 2100 },
    );
    expect(cost.baselineUsPerRequest).toBe(300);
    expect(cost.modeUsPerRequest).toBe(600);
    expect(cost.ratio).toBe(0.5);
    expect(cost.baselineBusy).toBeCloseTo(0.43, 2);
    expect(cost.modeBusy).toBeCloseTo(0.57, 2);
  });
});
