// Time per hash and per verify at OWASP's scrypt parameters: `npm run bench -w packages/store`.
import { hashPassword, owaspScryptParams, verifyPassword } from "./passwords";

const rounds = 10;

async function timeMs(label: string, task: () => Promise<unknown>): Promise<void> {
  await task(); // warm up
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(rounds / 2)] ?? Number.NaN;
  console.log(
    `${label}: median ${median.toFixed(1)} ms, min ${times[0]?.toFixed(1)} ms (${rounds} rounds)`,
  );
}

const { N, r, p } = owaspScryptParams;
console.log(`scrypt N=2^${Math.log2(N)} r=${r} p=${p}`);
const stored = await hashPassword("benchmark password", owaspScryptParams);
await timeMs("hashPassword", () => hashPassword("benchmark password", owaspScryptParams));
await timeMs("verifyPassword", () => verifyPassword("benchmark password", stored));
await timeMs("4 concurrent verifications (the default libuv pool)", () =>
  Promise.all(Array.from({ length: 4 }, () => verifyPassword("benchmark password", stored))),
);
