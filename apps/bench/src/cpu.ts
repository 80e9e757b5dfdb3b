// How much CPU a server's event loop has used so far, read from Linux's /proc. Throughput alone
// cannot tell what proving who is asking costs once the load generator is a limit too: on a
// 2-CPU machine, autocannon takes one CPU and the server under test may wait on it, which pulls
// every ratio towards 1.00x. The CPU time the server's main thread, where every request's
// JavaScript runs, spends per request does not depend on how fast the load arrives, so the
// bench reports both. Only the main thread: the whole process would add V8's helper threads
// (garbage collection, optimising compiles), whose work in 300 ms windows of a freshly started
// server says more about its warm-up than about its requests.
import { readFileSync } from "node:fs";

/** /proc reports times in USER_HZ ticks: 100 per second on the x86 and Arm Linux Node runs on. */
const ticksPerSecond = 100;
/** A tick is 10 ms, so a window's figure is only as fine as that; the bench sums many windows. */
export const cpuResolutionMs = 1000 / ticksPerSecond;

/**
 * User plus system CPU time of process `pid`'s main thread so far, in ms; `undefined` where
 * there is no /proc (not Linux) or the process is gone.
 */
export function mainThreadCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    // The main thread's task id is the process id.
    stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  return parseCpuMs(stat);
}

/**
 * The time fields of a /proc/<pid>/stat line. The command name, field 2, is in parentheses
 * and may itself hold spaces or ")", so fields are counted from the last ")": utime and stime
 * are fields 14 and 15 of the line, the 12th and 13th after it.
 */
export function parseCpuMs(stat: string): number | undefined {
  const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const userTicks = Number(afterName[11]);
  const systemTicks = Number(afterName[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) return undefined;
  return ((userTicks + systemTicks) * 1000) / ticksPerSecond;
}
