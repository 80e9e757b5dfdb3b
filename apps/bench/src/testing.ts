// A small, fixed report for the renderer tests.
import type { BenchReport } from "./report";

export function sampleReport(overrides: Partial<BenchReport> = {}): BenchReport {
  return {
    date: new Date("2025-01-31T12:00:00Z"),
    machine: {
      cpuModel: "Example CPU @ 2.00GHz",
      logicalCpus: 2,
      availableParallelism: 2,
      memoryGiB: 24,
      node: "20.20.2",
      os: "linux x64",
    },
    settings: { windowMs: 500, pairs: 7, connections: 10 },
    ratios: [
      {
        mode: "session (SQLite)",
        family: "session",
        route: "cart read",
        ratio: { median: 0.47, min: 0.32, max: 0.59 },
        baselinePerSecond: 2000,
        modePerSecond: 940,
        cpu: {
          baselineUsPerRequest: 312.4,
          modeUsPerRequest: 560,
          ratio: 0.5578,
          baselineBusy: 0.614,
          modeBusy: 0.88,
        },
      },
      {
        mode: "JWT HS256",
        family: "jwt",
        route: "cart write",
        ratio: { median: 0.71, min: 0.65, max: 1.01 },
        baselinePerSecond: 1500,
        modePerSecond: 1065,
      },
    ],
    storm: {
      threadPool: "UV_THREADPOOL_SIZE unset: libuv's default of 4 threads.",
      rows: [
        {
          mode: "session (SQLite)",
          logins: 32,
          loginsRefused: 0,
          loneLoginSeconds: 0.456,
          stormSeconds: 8.25,
          requestsPerSecond: 100,
          quietP99Ms: 4,
          stormP99Ms: 20.4,
        },
      ],
    },
    bytes: [
      {
        mode: "session (SQLite)",
        requestRead: [{ name: "Cookie", bytes: 86 }],
        requestWrite: [
          { name: "Cookie", bytes: 86 },
          { name: "X-CSRF-Token", bytes: 59 },
        ],
        response: [{ name: "Set-Cookie", bytes: 160 }],
        loginCookies: [{ name: "Set-Cookie", bytes: 160 }],
        loginBodyCredentialBytes: 57,
      },
      {
        mode: "JWT HS256",
        requestRead: [{ name: "Authorization", bytes: 250 }],
        requestWrite: [{ name: "Authorization", bytes: 250 }],
        response: [],
        loginCookies: [{ name: "Set-Cookie", bytes: 180 }],
        loginBodyCredentialBytes: 270,
      },
    ],
    memory: {
      sessions: 10_000,
      howCreated: "Copies of one real login's session record.",
      rows: [{ store: "memory", bytes: 3 * 1024 * 1024, measuredAs: "heap used after GC" }],
    },
    skipped: [],
    totalSeconds: 151.4,
    ...overrides,
  };
}
