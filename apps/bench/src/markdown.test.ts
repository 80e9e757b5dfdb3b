import { describe, expect, it } from "vitest";
import { formatBytes, renderMarkdown } from "./markdown";
import { sampleReport } from "./testing";

describe("renderMarkdown", () => {
  const page = renderMarkdown(sampleReport());

  it("prints each ratio as the median with the range of the pairs", () => {
    expect(page).toContain("| session (SQLite) | cart read | 0.47x (0.32-0.59) | 2000 | 940 |");
    expect(page).toContain("| JWT HS256 | cart write | 0.71x (0.65-1.01) | 1500 | 1065 |");
  });

  it("gives each server's CPU time per request, their ratio and how busy each server was", () => {
    expect(page).toContain("| 2000 | 940 | 312 µs, 560 µs | 0.56x | 61%, 88% |");
    expect(page).toContain("pulls the throughput ratio towards 1.00x");
  });

  it("says so where the CPU time could not be read, instead of a number", () => {
    expect(page).toContain("| 1500 | 1065 | not read | - | - |");
  });

  it("names the machine, the date, the run time and the window settings", () => {
    expect(page).toContain(
      "Machine: Example CPU @ 2.00GHz, 2 CPUs, 24 GiB, Node 20.20.2, linux x64.",
    );
    expect(page).toContain("on 2025-01-31 in 151 s");
    expect(page).toContain("7 pairs of adjacent 500 ms windows");
    expect(page).toContain("10 connections");
  });

  it("says that the ratios, not the absolute rates, are the result", () => {
    expect(page).toContain("**The ratios are the result, not the absolute rates**");
  });

  it("gives the login storm's p99 with the thread pool size in use", () => {
    expect(page).toContain("UV_THREADPOOL_SIZE unset: libuv's default of 4 threads.");
    expect(page).toContain("| session (SQLite) | 0.46 s | 32 | 0 | 8.3 s | 100/s | 4 ms | 20 ms |");
  });

  it("lists the headers each mode adds, and says nothing when it adds none", () => {
    expect(page).toContain(
      "| session (SQLite) | `Cookie` 86 B | `Cookie` 86 B + `X-CSRF-Token` 59 B | `Set-Cookie` 160 B |",
    );
    expect(page).toContain(
      "| JWT HS256 | `Authorization` 250 B | `Authorization` 250 B | nothing |",
    );
  });

  it("gives memory per 10,000 sessions and per session", () => {
    expect(page).toContain("## Server memory per 10,000 live sessions");
    expect(page).toContain("| memory | 3.0 MiB | 315 B | heap used after GC |");
  });

  it("lists skipped rows with their reasons, and has no such section when none were", () => {
    expect(page).not.toContain("Not measured");
    const skipped = renderMarkdown(sampleReport({ skipped: ["session (Redis): REDIS_URL unset"] }));
    expect(skipped).toContain(
      "## Not measured on this run\n\n- session (Redis): REDIS_URL unset\n",
    );
  });
});

describe("formatBytes", () => {
  it("uses B, KiB and MiB so each number stays short", () => {
    expect(formatBytes(86)).toBe("86 B");
    expect(formatBytes(9000)).toBe("9000 B");
    expect(formatBytes(320_000)).toBe("313 KiB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MiB");
  });
});
