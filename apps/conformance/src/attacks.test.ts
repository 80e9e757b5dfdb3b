import { afterAll, describe, expect, it } from "vitest";
import { attackRows, type Column, columns } from "./attacks";
import { cellKey, checkOrWriteReport, renderReport, reportPath } from "./report";
import { startBackend, storeKinds } from "./servers";

// One table of attacks, one expected outcome per backend, every cell asserted. The stores do
// not change a verdict: the table runs on SQLite, and again on PostgreSQL when DATABASE_URL is
// set; the report is written from the SQLite run.
const observed = new Map<string, string>();
const cases = storeKinds.flatMap((stores) => columns.map((column) => [column, stores] as const));

describe.each(cases)("attack table, %s, on %s", (column: Column, stores) => {
  it.each(attackRows.map((row) => [row.attack, row] as const))("%s", async (_title, row) => {
    const backend = await startBackend(column, stores, row.env);
    try {
      const result = await row.run(backend);
      expect(result).toBe(row.expected[column]);
      // Recorded only after its expectation passed, so a failing run leaves the table incomplete
      // and nothing is written, even with UPDATE_REPORT=1.
      if (stores === "sqlite") observed.set(cellKey(row.id, column), result);
    } finally {
      await backend.close();
    }
  });
});

afterAll(() => {
  const complete = observed.size === attackRows.length * columns.length;
  if (!complete) return; // a filtered run (-t) cannot judge the whole table
  const markdown = renderReport(attackRows, observed);
  console.log(`\n${markdown}`);
  const verdict = checkOrWriteReport(markdown, process.env.UPDATE_REPORT === "1");
  if (verdict === "stale") {
    throw new Error(
      `${reportPath} is stale: run \`npm run report -w apps/conformance\` and commit it.`,
    );
  }
});
