import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { AuthMode } from "@repo/contract";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe";
import { launchChromium } from "./browser";
import { backendsExist, type Stack, startStack, stopAllChildren, webDir } from "./harness";

// The workshop screen in Chromium against both real backends: the Compare page, the step-by-step
// replay in each mode, axe-core on every page in both modes, and the layout at the three widths
// the workshop uses (a phone, a laptop, a projector), with a screenshot of each for a person.

const shotsDir = process.env.SHOTS_DIR || path.join(webDir, "test-results", "shots");
const widths = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const ready = backendsExist();
if (!ready) {
  console.warn("\n!!! Browser tests SKIPPED: a backend's src/index.ts is missing.\n");
}

/** How far the page scrolls sideways; 0 when everything fits the window's width. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

const lit = ':is([data-state="ok"], [data-state="info"], [data-state="fail"])';

function workflow(page: Page, mode: AuthMode) {
  return page.locator(`.inspector[data-mode="${mode}"] .workflow`);
}

async function waitForLit(page: Page, mode: AuthMode, steps: readonly string[]): Promise<void> {
  for (const step of steps) {
    await workflow(page, mode)
      .locator(`li[data-step="${step}"]${lit}`)
      .waitFor({ timeout: 15_000 });
  }
}

async function litSteps(page: Page, mode: AuthMode): Promise<string[]> {
  return workflow(page, mode)
    .locator(`li${lit}`)
    .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.step ?? ""));
}

async function logIn(page: Page, baseUrl: string, mode: AuthMode): Promise<void> {
  await page.goto(`${baseUrl}/login?mode=${mode}`);
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill("wonderland42");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByTestId("who").waitFor();
}

const loginSteps: Record<AuthMode, string[]> = {
  session: ["post_credentials", "verify_password", "store_session", "issue_cookie"],
  jwt: ["post_credentials", "verify_password", "sign_token", "return_token", "store_token"],
};

describe.skipIf(!ready)("the workshop screen in Chromium", () => {
  let stack: Stack | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;

  beforeAll(async () => {
    await mkdir(shotsDir, { recursive: true });
    stack = await startStack();
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await stopAllChildren();
  });

  const base = () => {
    if (!stack) throw new Error("stack not started");
    return stack.baseUrl;
  };

  for (const mode of ["session", "jwt"] as const) {
    it(`${mode} mode: replay walks the lit steps one at a time, with the docs at each step's code`, async () => {
      await logIn(page, base(), mode);
      await waitForLit(page, mode, loginSteps[mode]);
      const steps = workflow(page, mode);
      const docs = page.locator(".docs-body");

      await page.getByRole("button", { name: "Replay", exact: true }).click();
      // Held at the first stop (Previous pauses the walk there, wherever it had got to): only
      // the first step lit and pointed at.
      await page.getByRole("button", { name: "Previous", exact: true }).click();
      await steps.locator('li[data-step="post_credentials"][aria-current="step"]').waitFor();
      expect(await litSteps(page, mode)).toEqual(["post_credentials"]);
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await steps.locator('li[data-step="verify_password"][aria-current="step"]').waitFor();
      expect(await litSteps(page, mode)).toEqual(["post_credentials", "verify_password"]);
      const section = docs.locator('section[aria-current="step"]');
      await section.waitFor();
      expect((await section.getAttribute("data-steps"))?.split(" ")).toContain("verify_password");
      expect(await section.locator("pre.docs-code").count()).toBeGreaterThan(0);
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await steps.locator(`li[data-step="${loginSteps[mode][2]}"][aria-current="step"]`).waitFor();
      expect(await litSteps(page, mode)).toHaveLength(3);

      await page.getByRole("button", { name: "Stop", exact: true }).click();
      await waitForLit(page, mode, loginSteps[mode]);
      await page.getByRole("button", { name: "Reset lights", exact: true }).click();
      await expect.poll(() => litSteps(page, mode), { timeout: 15_000 }).toEqual([]);
      await page.getByRole("button", { name: "Log out" }).click();
      await page.getByRole("link", { name: "Log in", exact: true }).waitFor();
    });
  }

  it("Compare runs one action in both modes at once, with both workflows side by side", async () => {
    await page.goto(`${base()}/compare`);
    await page.getByRole("button", { name: "Log in as Alice" }).click();
    for (const mode of ["session", "jwt"] as const) {
      await page
        .getByTestId(`compare-status-${mode}`)
        .filter({ hasText: "Logged in as Alice" })
        .waitFor({ timeout: 15_000 });
      await waitForLit(page, mode, loginSteps[mode]);
    }
    await page.getByRole("button", { name: "Add to cart", exact: true }).click();
    await waitForLit(page, "session", ["send_cookie", "lookup_session"]);
    await waitForLit(page, "jwt", ["send_header", "verify_token"]);
    // Side by side on a laptop: the two columns start at the same height.
    const [session, jwt] = await Promise.all(
      (["session", "jwt"] as const).map((mode) =>
        page.locator(`.compare-column[data-mode="${mode}"]`).boundingBox(),
      ),
    );
    expect(session && jwt && Math.abs(session.y - jwt.y)).toBe(0);
    expect(session && jwt && jwt.x > session.x + session.width - 1).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // Replay in one column walks that mode only.
    const jwtColumn = page.locator('.compare-column[data-mode="jwt"]');
    await jwtColumn.getByRole("button", { name: "Replay", exact: true }).click();
    await jwtColumn
      .locator(".step-now")
      .filter({ hasText: /Replay: step \d+ of/ })
      .waitFor();
    expect(await litSteps(page, "session")).toEqual(
      expect.arrayContaining(["send_cookie", "lookup_session"]),
    );

    // A real reload: the session cookie brings the session back; the JWT page lost its token
    // (memory) and the refresh cookie gets it a new one.
    await page.getByRole("button", { name: "Reload the page" }).click();
    for (const mode of ["session", "jwt"] as const) {
      await page
        .getByTestId(`compare-status-${mode}`)
        .filter({ hasText: "Logged in as Alice" })
        .waitFor({ timeout: 15_000 });
    }
    await waitForLit(page, "jwt", ["return_token", "store_token"]);

    await page.getByRole("button", { name: "Log out", exact: true }).click();
    await page.getByTestId("compare-status-session").filter({ hasText: "Not logged in" }).waitFor();
    await page.getByTestId("compare-status-jwt").filter({ hasText: "Not logged in" }).waitFor();
    await waitForLit(page, "jwt", ["clear_token"]);
    // The access token is still valid until exp: info, never painted over by the page's "ok".
    expect(
      await workflow(page, "jwt").locator('li[data-step="clear_token"]').getAttribute("data-state"),
    ).toBe("info");
  });

  it("keeps what was typed in a form when the window crosses the one-column breakpoint", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base()}/signup?mode=session`);
    await page.getByLabel("Username").fill("carol");
    await page.getByLabel("Display name").fill("Carol");
    for (const size of [widths[0], widths[2], widths[1]]) {
      await page.setViewportSize(size);
      await page.waitForFunction((width) => window.innerWidth === width, size.width);
      expect(await page.getByLabel("Username").inputValue()).toBe("carol");
      expect(await page.getByLabel("Display name").inputValue()).toBe("Carol");
    }
  });

  it("has no serious or critical axe violation on any page, in either mode", async () => {
    const problems: string[] = [];
    const check = async (label: string) => {
      for (const line of await seriousViolations(page)) problems.push(`${label}: ${line}`);
    };
    for (const mode of ["session", "jwt"] as const) {
      for (const route of ["/", "/cart", "/login", "/signup"]) {
        await page.goto(`${base()}${route}?mode=${mode}`);
        await page.locator(".docs-body[data-chapter]").waitFor();
        await page.locator("main h1").first().waitFor();
        await check(`${mode} ${route} (logged out)`);
      }
      await logIn(page, base(), mode);
      for (const route of ["/", "/cart", "/account", "/staff", "/labs"]) {
        await page.goto(`${base()}${route}?mode=${mode}`);
        await page.getByTestId("who").waitFor();
        await page.locator(".docs-body[data-chapter]").waitFor();
        await page.locator("main h1").first().waitFor();
        await check(`${mode} ${route} (logged in)`);
      }
      await page.getByRole("button", { name: "Projector" }).click();
      await check(`${mode} projector`);
      await page.getByRole("button", { name: "Projector" }).click();
      await page.getByRole("button", { name: "Log out" }).click();
      await page.getByRole("link", { name: "Log in", exact: true }).waitFor();
    }
    await page.goto(`${base()}/compare`);
    await page.getByTestId("compare-status-jwt").filter({ hasText: "Not logged in" }).waitFor();
    await check("compare");
    expect(problems).toEqual([]);
  });

  it("fits 390, 1280 and 1920 px without scrolling sideways, on every screen (screenshots kept)", async () => {
    const overflow: string[] = [];
    const screens: { name: string; url: string; ready: (page: Page) => Promise<unknown> }[] = [];
    for (const mode of ["session", "jwt"] as const) {
      screens.push(
        {
          name: `${mode}-products`,
          url: `/?mode=${mode}`,
          ready: (p) =>
            p
              .getByRole("button", { name: /^Add to cart: / })
              .first()
              .waitFor(),
        },
        {
          name: `${mode}-cart`,
          url: `/cart?mode=${mode}`,
          ready: (p) => p.locator(".cart-table, .empty-state").first().waitFor(),
        },
        {
          name: `${mode}-login`,
          url: `/login?mode=${mode}`,
          ready: (p) => p.getByTestId("who").waitFor(),
        },
        ...(["account", "staff", "labs", "signup"] as const).map((page) => ({
          name: `${mode}-${page}`,
          url: `/${page}?mode=${mode}`,
          ready: (p: Page) => p.locator("main h1").first().waitFor(),
        })),
      );
    }
    screens.push({
      name: "compare",
      url: "/compare",
      ready: (p) => p.getByTestId("compare-status-jwt").filter({ hasText: "Alice" }).waitFor(),
    });
    // Logged in in both modes, with a cart, so every panel has something to show.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base()}/compare`);
    await page.getByRole("button", { name: "Log in as Alice" }).click();
    await page.getByTestId("compare-status-jwt").filter({ hasText: "Alice" }).waitFor();
    await page.getByRole("button", { name: "Add to cart", exact: true }).click();
    await page
      .getByTestId("compare-status-jwt")
      .filter({ hasText: /cart: [1-9]/ })
      .waitFor();

    for (const screen of screens) {
      await page.goto(`${base()}${screen.url}`);
      await screen.ready(page);
      for (const size of widths) {
        await page.setViewportSize(size);
        await page.waitForFunction((width) => window.innerWidth === width, size.width);
        const sideways = await horizontalOverflow(page);
        if (sideways > 0) overflow.push(`${screen.name} at ${size.width} px: ${sideways} px`);
        await page.screenshot({ path: path.join(shotsDir, `${screen.name}-${size.width}.png`) });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    // The staff pages refused Alice (a customer) on the way, in both modes; every request since
    // found her login, so no workflow may still show a step red beside "Logged in as Alice".
    await page.getByTestId("compare-status-session").filter({ hasText: "Alice" }).waitFor();
    await expect
      .poll(() => page.locator('.workflow li[data-state="fail"]').count(), { timeout: 15_000 })
      .toBe(0);
    // Projector mode on the two wide screens, and the docs drawer on a phone.
    await page.goto(`${base()}/?mode=jwt`);
    await page.getByRole("button", { name: "Projector" }).click();
    for (const size of widths.slice(1)) {
      await page.setViewportSize(size);
      await page.waitForFunction((width) => window.innerWidth === width, size.width);
      if ((await horizontalOverflow(page)) > 0) overflow.push(`projector at ${size.width} px`);
      await page.screenshot({ path: path.join(shotsDir, `jwt-projector-${size.width}.png`) });
    }
    await page.getByRole("button", { name: "Projector" }).click();
    await page.setViewportSize(widths[0]);
    await page.getByRole("button", { name: "Docs" }).click();
    await page.locator(".docs-drawer .docs-body[data-chapter]").waitFor();
    if ((await horizontalOverflow(page)) > 0) overflow.push("docs drawer at 390 px");
    await page.screenshot({ path: path.join(shotsDir, "jwt-docs-drawer-390.png") });
    await page.getByRole("button", { name: "Close the docs" }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(overflow).toEqual([]);
  });
});
