// axe-core in the component tests, for the rules jsdom can judge (no layout, no colours): what
// a DOM says to assistive technology. The browser tests run every rule on the real pages.
import axe from "axe-core";

/** The violations of the named rules inside `root`, as "rule: selector" lines. */
export async function axeViolations(root: Element, rules: readonly string[]): Promise<string[]> {
  const result = await axe.run(root, { runOnly: { type: "rule", values: [...rules] } });
  return result.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(" ")}`),
  );
}
