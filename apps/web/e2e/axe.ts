// axe-core on a page in the browser tests: from node_modules, run inside the page (no CDN),
// evaluated through the DevTools protocol, so a Content-Security-Policy on the page cannot block it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

/** axe's violations of impact serious or critical on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
    // label-content-name-mismatch is "experimental" in axe, so off unless asked for.
    const result = await axe.run(document, {
      rules: { "label-content-name-mismatch": { enabled: true } },
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? "",
      targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.targets.join(", ")}`);
}
