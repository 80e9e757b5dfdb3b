// What proving identity costs per request, per mode: `npm run bench`. Loopback only, bounded.
import { performance } from "node:perf_hooks";
import { type Column, columns, columnTitles } from "./attacks";
import type { Driver } from "./driver";
import { startBackend } from "./servers";

const requestsPerRun = 1000;
const concurrency = 20;
const rounds = 5;

/** Sends `requestsPerRun` requests, `concurrency` at a time; returns requests per second. */
async function measure(send: () => Promise<unknown>): Promise<number> {
  let remaining = requestsPerRun;
  const worker = async () => {
    while (remaining-- > 0) await send();
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return requestsPerRun / ((performance.now() - start) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function benchColumn(column: Column) {
  const backend = await startBackend(column);
  try {
    const driver: Driver = backend.newDriver();
    const login = await driver.login("alice", "wonderland42");
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    // Alternate the two routes over several rounds and keep the median, so warm-up and noise
    // from the shared machine do not decide the result.
    const anonymous: number[] = [];
    const authed: number[] = [];
    for (let round = 0; round < rounds; round++) {
      anonymous.push(await measure(() => driver.anonymous("GET", "/health")));
      authed.push(await measure(() => driver.authed("GET", "/auth/me")));
    }
    return { column, anonymous: median(anonymous), authed: median(authed) };
  } finally {
    await backend.close();
  }
}

const rows = [];
for (const column of columns) rows.push(await benchColumn(column));
console.log(
  `\nMedian of ${rounds} rounds of ${requestsPerRun} requests, ${concurrency} at a time, over loopback HTTP`,
);
console.log(
  "(client and server share this process, so compare the ratio, not the absolute rate).\n",
);
console.log(
  "| mode | GET /health, no auth (req/s) | GET /auth/me, authenticated (req/s) | ratio |",
);
console.log("| --- | --- | --- | --- |");
for (const row of rows) {
  const ratio = (row.authed / row.anonymous).toFixed(2);
  console.log(
    `| ${columnTitles[row.column]} | ${row.anonymous.toFixed(0)} | ${row.authed.toFixed(0)} | ${ratio} |`,
  );
}
