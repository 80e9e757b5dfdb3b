import type { StepState } from "../app/modeStore";

const marks: Record<StepState | "pending", { symbol: string; text: string }> = {
  ok: { symbol: "✓", text: "ok" },
  info: { symbol: "i", text: "info" },
  fail: { symbol: "✗", text: "failed" },
  pending: { symbol: "·", text: "not yet" },
};

/**
 * An outcome in words as well as colour, so `info` (true, but not a success: the access token
 * still valid after logout) never reads as a green "done", on screen or to a screen reader.
 */
export function OutcomeMark({ outcome }: { outcome: StepState | "pending" }) {
  const mark = marks[outcome];
  return (
    <span className={`outcome outcome-${outcome}`} data-outcome={outcome}>
      <span aria-hidden="true" className="outcome-symbol">
        {mark.symbol}
      </span>{" "}
      {mark.text}
    </span>
  );
}
