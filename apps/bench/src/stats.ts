// The arithmetic of the report: medians and ranges of per-pair ratios. Pure, so it is tested.

/** The middle value; the mean of the two middle values when there is an even number. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** A median with the smallest and largest value seen: what the report prints as "0.71x (0.65-1.01)". */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Requests per second of one load window, for one side of a pair. */
export interface PairRates {
  baselinePerSecond: number;
  modePerSecond: number;
}

/**
 * One ratio per pair of adjacent windows (mode over baseline), then their median and range.
 * Each ratio compares two windows a second apart, so a machine that gets busier or quieter
 * during the run moves both sides of a ratio together instead of skewing the result.
 */
export function ratioSpread(pairs: readonly PairRates[]): Spread {
  return spread(pairs.map((pair) => pair.modePerSecond / pair.baselinePerSecond));
}

/** One side's server over all its measured windows: CPU time used and requests answered. */
export interface SideCpu {
  cpuMs: number;
  requests: number;
  /** The windows' wall-clock time, summed. */
  windowMs: number;
}

/** What each request cost the server's CPU, on each side, and the ratio that makes. */
export interface CpuCost {
  baselineUsPerRequest: number;
  modeUsPerRequest: number;
  /** Baseline over mode: the throughput the mode would keep if the server were the only limit. */
  ratio: number;
  /** The share of one CPU each server used during its windows; well under 1 means it waited. */
  baselineBusy: number;
  modeBusy: number;
}

export function cpuCost(baseline: SideCpu, mode: SideCpu): CpuCost {
  const usPerRequest = (side: SideCpu) => (side.cpuMs * 1000) / side.requests;
  const baselineUsPerRequest = usPerRequest(baseline);
  const modeUsPerRequest = usPerRequest(mode);
  return {
    baselineUsPerRequest,
    modeUsPerRequest,
    ratio: baselineUsPerRequest / modeUsPerRequest,
    baselineBusy: baseline.cpuMs / baseline.windowMs,
    modeBusy: mode.cpuMs / mode.windowMs,
  };
}
