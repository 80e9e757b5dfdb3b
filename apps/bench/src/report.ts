// What one run of the bench found: the shape both renderers (markdown, SVG) read.
import type { CpuCost, Spread } from "./stats";

/** The machine the figures belong to; ratios from another machine may differ. */
export interface Machine {
  cpuModel: string;
  logicalCpus: number;
  /** os.availableParallelism(): what this process may use (a container can have fewer). */
  availableParallelism: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export interface WindowSettings {
  windowMs: number;
  pairs: number;
  connections: number;
}

export type Route = "cart read" | "cart write";

/** One row of the main table: a mode against the baseline on one route. */
export interface RatioRow {
  mode: string;
  family: "session" | "jwt";
  route: Route;
  ratio: Spread;
  /** Medians of the windows on each side, in requests per second: context, not the result. */
  baselinePerSecond: number;
  modePerSecond: number;
  /** Each server's CPU time per request over its windows; unset where it cannot be read. */
  cpu?: CpuCost;
}

/** Cart reads at a steady rate while a burst of logins hashes passwords. */
export interface StormRow {
  mode: string;
  logins: number;
  /** Turned away with 429 by the server's limit on logins in progress. */
  loginsRefused: number;
  /** One login on its own just before (scrypt at the store's full cost, and the rest of a login). */
  loneLoginSeconds: number;
  /** From the first login sent to the last answer. */
  stormSeconds: number;
  requestsPerSecond: number;
  quietP99Ms: number;
  stormP99Ms: number;
}

/** A header line, counted as it travels: `Name: value\r\n`. */
export interface HeaderBytes {
  name: string;
  bytes: number;
}

export interface BytesRow {
  mode: string;
  requestRead: HeaderBytes[];
  requestWrite: HeaderBytes[];
  /** Headers the mode's `GET P/cart` answer has that the baseline's has not (bodies are equal). */
  response: HeaderBytes[];
  loginCookies: HeaderBytes[];
  /** The credential fields of the login body (`csrfToken`, `accessToken`, ...), as JSON bytes. */
  loginBodyCredentialBytes: number;
}

export interface MemoryRow {
  store: string;
  /** Growth for `sessions` sessions, in bytes. */
  bytes: number;
  /** What grew and how it was read, e.g. "heap used after GC, in the server process". */
  measuredAs: string;
}

export interface BenchReport {
  date: Date;
  machine: Machine;
  settings: WindowSettings;
  ratios: RatioRow[];
  storm: { threadPool: string; rows: StormRow[] };
  bytes: BytesRow[];
  memory: { sessions: number; howCreated: string; rows: MemoryRow[] };
  /** Rows that could not run here, each with the reason. */
  skipped: string[];
  totalSeconds: number;
}

/** "0.47x (0.32-0.59)": the median ratio and the range of the pairs. */
export function formatRatio(ratio: Spread): string {
  return `${ratio.median.toFixed(2)}x (${ratio.min.toFixed(2)}-${ratio.max.toFixed(2)})`;
}

/** One line naming the machine, for the table's heading and the chart. */
export function describeMachine(machine: Machine): string {
  const cpus =
    machine.availableParallelism === machine.logicalCpus
      ? `${machine.logicalCpus} CPUs`
      : `${machine.availableParallelism} of ${machine.logicalCpus} CPUs`;
  return `${machine.cpuModel}, ${cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}`;
}
