// What proving identity costs per request, per mode: `npm run bench`. Loopback only, bounded.
import { performance } from "node:perf_hooks";
import { columns, columnTitles } from "./attacks";
import { aliceAccount } from "./demo-data";
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

// Every backend runs in this one process, so the rounds interleave the modes: none of them gets
// a warmer JIT or a quieter machine than the others.
const backends = await Promise.all(columns.map((column) => startBackend(column)));
const results = columns.map((column) => ({
  column,
  anonymous: [] as number[],
  authed: [] as number[],
}));
try {
  const drivers: Driver[] = [];
  for (const backend of backends) {
    const driver = backend.newDriver();
    const login = await driver.login(aliceAccount.username, aliceAccount.password);
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    drivers.push(driver);
  }
  for (let round = 0; round <= rounds; round++) {
    for (const [index, driver] of drivers.entries()) {
      const anonymous = await measure(() => driver.anonymous("GET", "/health"));
      const authed = await measure(() => driver.authed("GET", "/auth/me"));
      if (round === 0) continue; // the first round only warms up
      results[index]?.anonymous.push(anonymous);
      results[index]?.authed.push(authed);
    }
  }
} finally {
  await Promise.all(backends.map((backend) => backend.close()));
}
const rows = results.map((result) => ({
  column: result.column,
  anonymous: median(result.anonymous),
  authed: median(result.authed),
}));

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
