// The machine the figures belong to.
import { availableParallelism, cpus, release, totalmem, type } from "node:os";
import type { Machine } from "./report";

export function thisMachine(): Machine {
  const all = cpus();
  return {
    cpuModel: all[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU",
    logicalCpus: all.length,
    availableParallelism: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.versions.node,
    os: `${type()} ${release()}`,
  };
}
