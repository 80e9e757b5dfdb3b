import { describe, expect, it } from "vitest";
import { type AttackRow, type Column, columns } from "./attacks";
import { cellKey, renderReport } from "./report";

const row: AttackRow = {
  id: "no-credential",
  attack: "Read the cart without logging in",
  expected: {
    session: "401 unauthenticated",
    jwt: "401 unauthenticated",
    "jwt-denylist": "200",
    "jwt-cutoff": "200",
  },
  run: async () => "unused",
};

/** The cells a test run recorded, keyed like attacks.test.ts keys them. */
function observedCells(cells: Partial<Record<Column, string>>): Map<string, string> {
  const observed = new Map<string, string>();
  for (const column of columns) {
    const cell = cells[column];
    if (cell !== undefined) observed.set(cellKey(row.id, column), cell);
  }
  return observed;
}

describe("renderReport", () => {
  it("renders a row from cells that all passed", () => {
    const markdown = renderReport([row], observedCells(row.expected));
    expect(markdown).toContain(
      "| Read the cart without logging in | 401 unauthenticated | 401 unauthenticated | 200 | 200 |",
    );
  });

  it("refuses a cell that is not its expected outcome, so a failing run is never rendered", () => {
    const failing = observedCells({ ...row.expected, jwt: "200" });
    expect(() => renderReport([row], failing)).toThrow(/no-credential\/jwt did not pass \(200\)/);
  });

  it("refuses a table with a cell missing", () => {
    const { session, jwt } = row.expected;
    expect(() => renderReport([row], observedCells({ session, jwt }))).toThrow(/not run/);
  });
});
