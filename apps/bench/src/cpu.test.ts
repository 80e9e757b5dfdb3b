import { describe, expect, it } from "vitest";
import { mainThreadCpuMs, parseCpuMs } from "./cpu";

describe("parseCpuMs", () => {
  it("adds user and system time, counting fields from the end of the command name", () => {
    // A command name with a space and a ")" in it, as a process may call itself.
    const fields = ["S", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "250", "40", "0"];
    expect(parseCpuMs(`4242 (node (a) b) ${fields.join(" ")}`)).toBe(2900);
  });

  it("gives undefined for a line it cannot read rather than a wrong number", () => {
    expect(parseCpuMs("4242 (node) S 1")).toBeUndefined();
  });
});

describe.runIf(process.platform === "linux")("mainThreadCpuMs", () => {
  it("reads the main thread's CPU time, which grows as it works", () => {
    const before = mainThreadCpuMs(process.pid) ?? Number.NaN;
    expect(before).toBeGreaterThanOrEqual(0);
    // Spin until the count moves (a tick is 10 ms), however little CPU a busy machine gives us.
    const deadline = performance.now() + 30_000;
    let after = before;
    while (after === before && performance.now() < deadline) {
      const until = performance.now() + 20;
      while (performance.now() < until) {}
      after = mainThreadCpuMs(process.pid) ?? Number.NaN;
    }
    expect(after).toBeGreaterThan(before);
  });

  it("gives undefined for a process that does not exist", () => {
    expect(mainThreadCpuMs(2 ** 22 + 1)).toBeUndefined();
  });
});
