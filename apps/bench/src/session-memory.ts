// Runs session-memory-probe.ts in a process of its own for one session store.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { ProbeResult } from "./session-memory-probe";

const probeEntry = fileURLToPath(new URL("./session-memory-probe.ts", import.meta.url));
const tsxLoader = import.meta.resolve("tsx");

export async function probeSessionMemory(env: Record<string, string>): Promise<ProbeResult> {
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
