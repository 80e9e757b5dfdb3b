// One row of the table: a mode against the baseline, in adjacent windows of alternating order.
import { mainThreadCpuMs } from "./cpu";
import { type LoadTarget, runWindow } from "./load";
import type { WindowSettings } from "./report";
import { alternatingSchedule } from "./schedule";
import {
  type CpuCost,
  cpuCost,
  median,
  type PairRates,
  ratioSpread,
  type SideCpu,
  type Spread,
} from "./stats";

export interface Comparison {
  ratio: Spread;
  baselinePerSecond: number;
  modePerSecond: number;
  /** Unset where the servers' CPU time cannot be read (no /proc). */
  cpu?: CpuCost;
}

/** A load target and the process id of the server that answers it. */
export interface Side extends LoadTarget {
  pid: number;
}

export async function compare(
  baseline: Side,
  mode: Side,
  settings: WindowSettings,
): Promise<Comparison> {
  const load = { connections: settings.connections, durationMs: settings.windowMs };
  // Two windows each first, unmeasured: connections opened, caches warm, and the route's code
  // optimised by V8, which a fresh process has not done yet (half a window was too little:
  // the first row's mode paid for its warm-up inside the measured windows).
  for (const side of [baseline, mode])
    await runWindow(side, { ...load, durationMs: 2 * settings.windowMs });

  const cpu: Record<"baseline" | "mode", SideCpu | undefined> = {
    baseline: { cpuMs: 0, requests: 0, windowMs: 0 },
    mode: { cpuMs: 0, requests: 0, windowMs: 0 },
  };

  const pairs: PairRates[] = Array.from({ length: settings.pairs }, () => ({
    baselinePerSecond: 0,
    modePerSecond: 0,
  }));
  for (const window of alternatingSchedule(settings.pairs)) {
    const target = window.side === "baseline" ? baseline : mode;
    const cpuBeforeMs = mainThreadCpuMs(target.pid);
    const startedMs = performance.now();
    const { perSecond, requests } = await runWindow(target, load);
    const elapsedMs = performance.now() - startedMs;
    const cpuAfterMs = mainThreadCpuMs(target.pid);
    const side = cpu[window.side];
    if (side && cpuBeforeMs !== undefined && cpuAfterMs !== undefined) {
      side.cpuMs += cpuAfterMs - cpuBeforeMs;
      side.requests += requests;
      side.windowMs += elapsedMs;
    } else {
      cpu[window.side] = undefined;
    }
    const pair = pairs[window.pair];
    if (!pair) throw new Error(`no pair ${window.pair}`);
    if (window.side === "baseline") pair.baselinePerSecond = perSecond;
    else pair.modePerSecond = perSecond;
  }
  return {
    ratio: ratioSpread(pairs),
    baselinePerSecond: median(pairs.map((pair) => pair.baselinePerSecond)),
    modePerSecond: median(pairs.map((pair) => pair.modePerSecond)),
    ...(cpu.baseline && cpu.mode ? { cpu: cpuCost(cpu.baseline, cpu.mode) } : {}),
  };
}
