// The order of the load windows of one comparison. Pure, so it is tested.

export type Side = "baseline" | "mode";

export interface Window {
  /** Which pair this window belongs to, from 0. */
  pair: number;
  side: Side;
}

/**
 * `pairs` pairs of adjacent windows in alternating order: baseline, mode, mode, baseline,
 * baseline, mode, ... Neither side always runs first, so a trend over the run (a warming JIT,
 * a neighbour's job starting) favours each side equally often.
 */
export function alternatingSchedule(pairs: number): Window[] {
  if (!Number.isInteger(pairs) || pairs < 1)
    throw new RangeError("pairs must be a whole number >= 1");
  return Array.from({ length: pairs }, (_, pair): Window[] => {
    const order: Side[] = pair % 2 === 0 ? ["baseline", "mode"] : ["mode", "baseline"];
    return order.map((side) => ({ pair, side }));
  }).flat();
}
