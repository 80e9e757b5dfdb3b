import { afterAll, describe, expect, it } from "vitest";
import { start, stopAllChildren, waitForOk, webDir } from "./harness";

const env = { ...process.env };

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the e2e harness", () => {
  afterAll(stopAllChildren);

  it("stops a whole process group, also when its leader has already exited", async () => {
    // The leader exits at once; the sleep it started lives on in the group, as tsx's node does.
    const child = start("leader", "/bin/sh", ["-c", "sleep 60 & exit 0"], { cwd: webDir, env });
    await child.ended;
    const pid = child.process.pid ?? 0;
    expect(groupAlive(pid)).toBe(true);
    await stopAllChildren();
    expect(groupAlive(pid)).toBe(false);
  });

  it("fails fast when a command cannot be spawned, instead of polling until the timeout", async () => {
    const child = start("missing", "/nonexistent/command", [], { cwd: webDir, env });
    const startedAt = Date.now();
    await expect(waitForOk("http://127.0.0.1:9/", child, 60_000)).rejects.toThrow(
      /could not be started/,
    );
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });
});
