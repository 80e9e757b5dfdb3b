import type { BrowserContext, Page } from "playwright-core";

/**
 * Collects every Content-Security-Policy violation a page of `context` reports, from the
 * `securitypolicyviolation` event (through a binding, which the policy cannot block) and from the
 * console, where Chromium also writes each refusal. An empty list at the end means the app ran
 * entirely under its policy.
 */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding("reportCspViolation", (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportCspViolation(text: string): void })
        .reportCspViolation;
      report(
        `${event.violatedDirective}: ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  const watch = (page: Page) =>
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  context.pages().forEach(watch);
  context.on("page", watch);
  return violations;
}
