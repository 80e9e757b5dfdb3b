// docs/generated/bench.md from a report. Pure, so it is tested.
import {
  type BenchReport,
  type BytesRow,
  describeMachine,
  formatRatio,
  type HeaderBytes,
} from "./report";
import type { CpuCost } from "./stats";

/** "1.4 MiB", "312 KiB", "86 B". */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (Math.abs(bytes) >= 10 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** "312 → 560 µs | 0.56x | 61%, 88%", or dashes where the CPU time could not be read. */
function cpuColumns(cpu: CpuCost | undefined): string {
  if (!cpu) return "not read | - | -";
  const us = (value: number) => `${Math.round(value)} µs`;
  const busy = (share: number) => `${Math.round(share * 100)}%`;
  return (
    `${us(cpu.baselineUsPerRequest)}, ${us(cpu.modeUsPerRequest)} | ${cpu.ratio.toFixed(2)}x | ` +
    `${busy(cpu.baselineBusy)}, ${busy(cpu.modeBusy)}`
  );
}

function headerList(headers: readonly HeaderBytes[]): string {
  if (headers.length === 0) return "nothing";
  return headers.map((header) => `\`${header.name}\` ${header.bytes} B`).join(" + ");
}

function bytesLine(row: BytesRow): string {
  const login = `${headerList(row.loginCookies)}; ${row.loginBodyCredentialBytes} B of credentials in the body`;
  return `| ${row.mode} | ${headerList(row.requestRead)} | ${headerList(row.requestWrite)} | ${headerList(row.response)} | ${login} |`;
}

/** The whole markdown page; `report.date` and the machine make every run's page its own. */
export function renderMarkdown(report: BenchReport): string {
  const { settings, machine } = report;
  const lines = [
    "# What each mode costs per request",
    "",
    `Written by \`npm run bench\` (\`apps/bench\`) on ${report.date.toISOString().slice(0, 10)} ` +
      `in ${Math.round(report.totalSeconds)} s; do not edit by hand.`,
    `Machine: ${describeMachine(machine)}.`,
    "",
    "Every server runs in its own process (`tsx` on the app's `src/index.ts`, the baseline on " +
      "`apps/bench/src/baseline-server.ts`; `DEMO_MODE=0`, `NODE_ENV` unset), and autocannon " +
      "sends the load from another process, with " +
      `${settings.connections} connections. Each mode is compared with a **baseline**: the same ` +
      "route of the same shop app on the same store (SQLite; PostgreSQL for the PostgreSQL " +
      "sessions, whose rows live in the shop's database), with the user fixed in code. The " +
      `windows come in ${settings.pairs} pairs of adjacent ${settings.windowMs} ms windows in ` +
      "alternating order (baseline, mode, mode, baseline, ...); each pair gives one ratio, and " +
      `the table shows the median of the ${settings.pairs} ratios and their range. ` +
      "**The ratios are the result, not the absolute rates**, which depend on the machine and " +
      "on whatever else it was doing at the time.",
    "",
    "## Throughput relative to the baseline",
    "",
    "1.00x would mean that proving who is asking costs nothing; higher is cheaper.",
    "",
    "| mode | route | ratio: median (range) | baseline req/s | mode req/s | server CPU per request: baseline, mode | ratio by server CPU | CPU busy: baseline, mode |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...report.ratios.map(
      (row) =>
        `| ${row.mode} | ${row.route} | ${formatRatio(row.ratio)} | ` +
        `${Math.round(row.baselinePerSecond)} | ${Math.round(row.modePerSecond)} | ${cpuColumns(row.cpu)} |`,
    ),
    "",
    "The server CPU columns read the CPU time of each server's main thread, where its " +
      "JavaScript runs (user plus system, from `/proc`, in 10 ms ticks), before and after each " +
      "of its windows: the time it spent per request, summed " +
      "over its windows, and baseline over mode as a ratio, which is what the mode would keep " +
      "if the server were the only limit. The load generator is another: it needs a CPU of its " +
      "own. CPU busy is a server's CPU time over its windows' length: well under 100%, it spent " +
      "part of its windows waiting for the next request, which pulls the throughput ratio " +
      "towards 1.00x. Where the two ratios differ, the CPU one is the cost of the mode " +
      "and the throughput one what a client saw on this machine.",
    "",
    "Cart read is `GET P/cart`. Cart write alternates `POST P/cart/items` (add 1) and " +
      "`PATCH P/cart/items/:productId` (set to 1) on each connection, so the line never " +
      "reaches the 99 cap; every answer in every window was a 2xx, or the run stops.",
    "",
    "## Cart reads during a login storm",
    "",
    `${report.storm.threadPool}`,
    "",
    "| mode | one login alone | logins at once | refused (429) | storm lasted | cart reads | cart p99, quiet | cart p99, during the storm |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...report.storm.rows.map(
      (row) =>
        `| ${row.mode} | ${row.loneLoginSeconds.toFixed(2)} s | ${row.logins} | ` +
        `${row.loginsRefused} | ${row.stormSeconds.toFixed(1)} s | ` +
        `${Math.round(row.requestsPerSecond)}/s | ${row.quietP99Ms.toFixed(0)} ms | ` +
        `${row.stormP99Ms.toFixed(0)} ms |`,
    ),
    "",
    "## Bytes each mode adds",
    "",
    "Header lines counted as sent, `Name: value` plus CRLF. The response column lists the " +
      "headers the mode's `GET P/cart` answer has and the baseline's has not; the bodies are " +
      "the same bytes.",
    "",
    "| mode | request, cart read | request, cart write | response, cart | login response |",
    "| --- | --- | --- | --- | --- |",
    ...report.bytes.map(bytesLine),
    "",
    `## Server memory per ${report.memory.sessions.toLocaleString("en")} live sessions`,
    "",
    report.memory.howCreated,
    "",
    `| store | per ${report.memory.sessions.toLocaleString("en")} sessions | per session | measured as |`,
    "| --- | ---: | ---: | --- |",
    ...report.memory.rows.map(
      (row) =>
        `| ${row.store} | ${formatBytes(row.bytes)} | ` +
        `${formatBytes(row.bytes / report.memory.sessions)} | ${row.measuredAs} |`,
    ),
  ];
  if (report.skipped.length > 0) {
    lines.push("", "## Not measured on this run", "", ...report.skipped.map((line) => `- ${line}`));
  }
  return `${lines.join("\n")}\n`;
}
