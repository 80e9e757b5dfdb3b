import { describe, expect, it } from "vitest";
import { decodeTrace, encodeTrace } from "./trace";
import { workflowSteps } from "./values";

describe("X-Auth-Trace encoding", () => {
  it("round-trips steps, escaping anything a header cannot carry", () => {
    const entries = [
      { step: "verify_password", action: "password checked", outcome: "ok", detail: "user Zoë" },
    ] as const;
    const header = encodeTrace(entries);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(decodeTrace(header)).toEqual(entries);
  });

  it("reads a missing or garbled header as no steps instead of throwing", () => {
    expect(decodeTrace(undefined)).toEqual([]);
    expect(decodeTrace("{not json")).toEqual([]);
    expect(decodeTrace('[{"step":"not_a_step","action":"x","outcome":"ok"}]')).toEqual([]);
  });
});

describe("workflowSteps", () => {
  it("numbers each mode's steps once, in the order of the classic explanation", () => {
    for (const steps of Object.values(workflowSteps)) {
      const ids = steps.map((step) => step.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids[0]).toBe("post_credentials");
    }
  });
});
