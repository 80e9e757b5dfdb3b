// Runs session-memory-probe.ts in a process of its own for one session store.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { Mode } from "./modes";
import type { MemoryRow } from "./report";
import type { ProbeResult } from "./session-memory-probe";

const probeEntry = fileURLToPath(new URL("./session-memory-probe.ts", import.meta.url));
const tsxLoader = import.meta.resolve("tsx");

async function probeSessionMemory(env: Record<string, string>): Promise<ProbeResult> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", tsxLoader, probeEntry], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let result: ProbeResult | undefined;
  child.on("message", (message) => {
    result = message as ProbeResult;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  await once(child, "exit");
  clearTimeout(timer);
  return result ?? { ok: false, reason: output.trim().split("\n").slice(-3).join(" ") };
}

/** The session stores the memory table covers, in its order. */
const stores = ["memory", "sqlite", "redis", "postgres"];

/** Memory per `count` sessions in the store of each running session mode, one probe at a time. */
export async function measureSessionMemory(
  modes: readonly Mode[],
  count: number,
  log: (line: string) => void,
): Promise<{ rows: MemoryRow[]; skipped: string[] }> {
  const rows: MemoryRow[] = [];
  const skipped: string[] = [];
  for (const store of stores) {
    const mode = modes.find((candidate) => candidate.env.SESSION_STORE === store);
    if (!mode) continue;
    const result = await probeSessionMemory({ ...mode.env, SESSION_COUNT: String(count) });
    if (!result.ok) {
      skipped.push(`memory per session in ${mode.name}: ${result.reason}`);
      continue;
    }
    rows.push({ store: mode.name, bytes: result.bytes, measuredAs: result.measuredAs });
    log(`${mode.name}: ${Math.round(result.bytes / count)} B per session`);
  }
  return { rows, skipped };
}
