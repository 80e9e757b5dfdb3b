// The scale-out lab against the cluster, in Chromium: both backends run as `npm run
// start:cluster` runs them, two instances behind each port, with sessions in each instance's own
// memory. The lab's burst must reach both instances, and the page must say what each mode did:
// the session instance that never saw the login refuses it, any instance accepts the token.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { backendsExist, type Stack, startStack, stopAllChildren, webDir } from "./harness";
import { row, run } from "./labs-page";

const resultsDir = path.join(webDir, "test-results");

/** The instance names a row's requests were answered by, from the `X-Instance` each shows. */
const instancesIn = (verdict: string) =>
  [...new Set(verdict.match(/\b(session|jwt)-api-\d+\b/g))].sort();

describe.skipIf(!backendsExist())("the scale-out lab in Chromium, against the cluster", () => {
  let stack: Stack | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;

  beforeAll(async () => {
    await mkdir(resultsDir, { recursive: true });
    stack = await startStack({ cluster: true, apiEnv: { SESSION_STORE: "memory" } });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${stack.baseUrl}/labs?mode=session`);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await stopAllChildren();
  });

  it("scale-out: with two instances and sessions in memory, the session is refused by the instance that never saw the login; the token passes on both", async () => {
    if (!stack) throw new Error("stack not started");
    await run(page, "scale-out");
    const session = await row(page, "scale-out", "session");
    expect(session.outcome).toBe("refused");
    expect(instancesIn(session.verdict)).toEqual(["session-api-1", "session-api-2"]);
    expect(session.verdict).toMatch(
      /; [1-7] of 8 said 401: each instance's own memory is not shared/,
    );
    const jwt = await row(page, "scale-out", "jwt");
    expect(jwt.outcome).toBe("accepted");
    expect(instancesIn(jwt.verdict)).toEqual(["jwt-api-1", "jwt-api-2"]);
    expect(jwt.verdict).toContain("each checked the token by itself");
    await page
      .locator('section[data-lab="scale-out"] .lab-verdict')
      .first()
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(resultsDir, "labs-scale-out-cluster.png") });
  });
});
