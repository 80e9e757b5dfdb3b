// One row of the table: a mode against the baseline, in adjacent windows of alternating order.
import { type LoadTarget, runWindow } from "./load";
import type { WindowSettings } from "./report";
import { alternatingSchedule } from "./schedule";
import { median, type PairRates, ratioSpread, type Spread } from "./stats";

export interface Comparison {
  ratio: Spread;
  baselinePerSecond: number;
  modePerSecond: number;
}

export async function compare(
  baseline: LoadTarget,
  mode: LoadTarget,
  settings: WindowSettings,
): Promise<Comparison> {
  const load = { connections: settings.connections, durationMs: settings.windowMs };
  // One short window each first, unmeasured: connections opened, caches and JIT warm.
  await runWindow(baseline, { ...load, durationMs: settings.windowMs / 2 });
  await runWindow(mode, { ...load, durationMs: settings.windowMs / 2 });

  const pairs: PairRates[] = Array.from({ length: settings.pairs }, () => ({
    baselinePerSecond: 0,
    modePerSecond: 0,
  }));
  for (const window of alternatingSchedule(settings.pairs)) {
    const target = window.side === "baseline" ? baseline : mode;
    const { perSecond } = await runWindow(target, load);
    const pair = pairs[window.pair];
    if (!pair) throw new Error(`no pair ${window.pair}`);
    if (window.side === "baseline") pair.baselinePerSecond = perSecond;
    else pair.modePerSecond = perSecond;
  }
  return {
    ratio: ratioSpread(pairs),
    baselinePerSecond: median(pairs.map((pair) => pair.baselinePerSecond)),
    modePerSecond: median(pairs.map((pair) => pair.modePerSecond)),
  };
}
