import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { AuthMode } from "@repo/contract";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatKb, initialBudgetBytes, measureBundle } from "../scripts/bundle-size";
import { launchChromium } from "./browser";
import { watchCspViolations } from "./csp";
import { backendsExist, type Stack, startStack, stopAllChildren, webDir } from "./harness";

const resultsDir = path.join(webDir, "test-results");
const ready = backendsExist();
if (!ready) {
  console.warn(
    "\n!!! Browser tests SKIPPED: apps/session-api/src/index.ts or apps/jwt-api/src/index.ts is missing.\n",
  );
}

const afterLoginSteps: Record<AuthMode, string[]> = {
  session: [
    "post_credentials",
    "verify_password",
    "store_session",
    "issue_cookie",
    "send_cookie",
    "lookup_session",
  ],
  jwt: [
    "post_credentials",
    "verify_password",
    "sign_token",
    "return_token",
    "store_token",
    "send_header",
    "verify_token",
  ],
};
const afterReloadSteps: Record<AuthMode, string[]> = {
  session: ["send_cookie", "lookup_session"],
  jwt: ["send_header", "verify_token"],
};
const logoutStep: Record<AuthMode, string> = { session: "destroy_session", jwt: "clear_token" };

// A lit step is done (ok) or noted (info: the access token still valid after JWT logout, claims
// trusted without a lookup); the workflow lights them one at a time, so tests wait for each.
const lit = ':is([data-state="ok"], [data-state="info"])';

async function litSteps(page: Page): Promise<string[]> {
  return page
    .locator(`.workflow li${lit}`)
    .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.step ?? ""));
}

async function waitForLit(page: Page, steps: string[]): Promise<void> {
  for (const step of steps) {
    await page.locator(`.workflow li[data-step="${step}"]${lit}`).waitFor({ timeout: 10_000 });
  }
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole("link", { name: "Log in", exact: true }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByTestId("who").waitFor();
}

async function cartLines(page: Page): Promise<string[]> {
  await page.getByRole("link", { name: /^Cart/ }).click();
  await page.locator(".cart-table, .empty-state").first().waitFor();
  return page.locator(".cart-table tbody th").allTextContents();
}

/** Empties alice's cart through the UI: both modes share one store, so a run starts clean. */
async function emptyCart(page: Page): Promise<void> {
  await cartLines(page);
  while ((await page.getByRole("button", { name: /^Remove / }).count()) > 0) {
    const before = await page.getByRole("button", { name: /^Remove / }).count();
    await page
      .getByRole("button", { name: /^Remove / })
      .first()
      .click();
    await page.waitForFunction(
      (n) => document.querySelectorAll("button[aria-label^='Remove ']").length < n,
      before,
    );
  }
}

describe.skipIf(!ready)("the shop in Chromium against both real backends", () => {
  let stack: Stack | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    await mkdir(resultsDir, { recursive: true });
    stack = await startStack();
    browser = await launchChromium();
    cspViolations = await watchCspViolations(browser.context);
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    // Also when startStack timed out half-way and never returned a stack to stop.
    await stopAllChildren();
  });

  it("serves a production build whose first load needs under 100 KB of gzipped JavaScript", async () => {
    if (!stack) throw new Error("stack not started");
    const { outDir } = stack;
    const { files, totalGzipBytes, initialFiles, initialGzipBytes } = await measureBundle(outDir);
    console.log(
      `initial JavaScript: ${formatKb(initialGzipBytes)} gzipped (${initialFiles.join(", ")}); ` +
        `all JavaScript: ${formatKb(totalGzipBytes)} in ${Object.keys(files).length} files`,
    );
    expect(initialFiles.length).toBeGreaterThan(0);
    expect(initialGzipBytes).toBeLessThan(initialBudgetBytes);
    // The chapters come as HTML rendered at build time, each in a chunk of its own, on demand:
    // neither their markdown nor their HTML loads first. And no validator is shipped: zod keeps
    // its internals under `_zod`.
    const initialText = (
      await Promise.all(initialFiles.map((file) => readFile(path.join(outDir, file), "utf8")))
    ).join("\n");
    expect(initialText).not.toContain("<!-- step:");
    expect(initialText).not.toContain("docs-section");
    expect(initialText).not.toContain("_zod");
    expect(Object.keys(files).some((file) => /02-sessions-[\w-]+\.js$/.test(file))).toBe(true);
  });

  it("shows chapter 4's bench chart at a readable size, scrolling sideways in the docs column", async () => {
    if (!stack) throw new Error("stack not started");
    await page.goto(`${stack.baseUrl}/?mode=session`);
    await page.getByLabel("Chapter").selectOption("04-side-by-side.md");
    const figure = page.locator('.docs-body[data-chapter="04-side-by-side.md"] .docs-figure');
    await figure.waitFor();
    await figure.scrollIntoViewIfNeeded();
    // The chart itself, inlined from docs/generated/bench.svg at build time, not a broken image:
    // a data: URL still decodes after the figure is in the page, so wait for it to load.
    const image = await figure.locator("img.docs-image").elementHandle();
    await page.waitForFunction((img) => img instanceof HTMLImageElement && img.complete, image, {
      timeout: 15_000,
    });
    expect(await image?.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(880);
    // At 1280 px the docs column is about 330 px wide: the chart keeps its 34rem (510 px) and
    // the figure scrolls, instead of shrinking its labels to a few pixels.
    const { imageWidth, figureWidth, scrollable } = await figure.evaluate((element) => ({
      imageWidth: element.querySelector("img")?.getBoundingClientRect().width ?? 0,
      figureWidth: element.clientWidth,
      scrollable: element.scrollWidth > element.clientWidth,
    }));
    expect(imageWidth).toBeGreaterThanOrEqual(500);
    expect(figureWidth).toBeLessThan(imageWidth);
    expect(scrollable).toBe(true);
    // From the keyboard: the figure takes focus, and an arrow key scrolls it.
    await figure.focus();
    await page.keyboard.press("ArrowRight");
    const scroller = await figure.elementHandle();
    await page.waitForFunction((element) => (element?.scrollLeft ?? 0) > 0, scroller, {
      timeout: 15_000,
    });
  });

  for (const mode of ["session", "jwt"] as const) {
    it(`${mode} mode: alice's cart survives navigation and a reload, and is gone after logout`, async () => {
      if (!stack) throw new Error("stack not started");
      await page.goto(`${stack.baseUrl}/?mode=${mode}`);
      await logIn(page, "alice", "wonderland42");
      await waitForLit(page, afterLoginSteps[mode].slice(0, 5));
      await emptyCart(page);

      await page.getByRole("link", { name: "Products", exact: true }).click();
      const adds = page.getByRole("button", { name: /^Add to cart: / });
      const names = [
        (await adds.nth(0).getAttribute("aria-label"))?.replace(/^Add to cart: /, ""),
        (await adds.nth(1).getAttribute("aria-label"))?.replace(/^Add to cart: /, ""),
      ];
      await adds.nth(0).click();
      await page.getByTestId("cart-count").filter({ hasText: /^1$/ }).waitFor();
      await adds.nth(1).click();
      await page.getByTestId("cart-count").filter({ hasText: /^2$/ }).waitFor();
      await waitForLit(page, afterLoginSteps[mode]);
      expect(await litSteps(page)).toEqual(expect.arrayContaining(afterLoginSteps[mode]));

      // Client-side navigation: away to the cart, back to products, to the cart again.
      expect((await cartLines(page)).sort()).toEqual([...names].sort());
      await page.getByRole("link", { name: "Products", exact: true }).click();
      await page.getByRole("heading", { name: "Products" }).waitFor();
      expect((await cartLines(page)).sort()).toEqual([...names].sort());

      // A full reload: only what the browser kept (cookie, or token / refresh cookie) brings the user back.
      await page.reload();
      await page.locator(".cart-table").waitFor();
      expect((await page.locator(".cart-table tbody th").allTextContents()).sort()).toEqual(
        [...names].sort(),
      );
      expect(page.url()).toContain(`mode=${mode}`);
      await waitForLit(page, afterReloadSteps[mode]);

      // The inspector shows what proved identity.
      const identity = page.locator(
        `.request-row[data-identity="${mode === "session" ? "cookie" : "bearer"}"] .identity`,
      );
      const identityText = await identity.first().textContent();
      if (mode === "session") {
        expect(identityText).toContain("HttpOnly");
        expect(await page.locator(".cookie-view").textContent()).toContain("document.cookie");
        await page.locator(".state-table tr.own-row").first().waitFor();
      } else {
        expect(identityText).toMatch(/^Bearer token, signature [\w-]+…$/);
        await page.locator(".token-view .jwt-part-payload").waitFor();
        expect(await page.getByTestId("exp-countdown").textContent()).toMatch(
          /^expires in \d+:\d\d$/,
        );
      }
      // The docs panel beside the inspector: this mode's chapter, at the step just lit.
      const chapter = mode === "session" ? "02-sessions.md" : "03-jwt.md";
      const docs = page.locator(`.docs-body[data-chapter="${chapter}"]`);
      await docs.waitFor();
      expect(await docs.locator("pre").count()).toBeGreaterThan(0);
      await docs.locator('[aria-current="step"]').first().waitFor();
      await page.getByRole("button", { name: "Docs" }).click();
      expect(await docs.count()).toBe(0);
      await page.getByRole("button", { name: "Docs" }).click();
      await docs.waitFor();
      await page.screenshot({ path: path.join(resultsDir, `${mode}.png`), fullPage: false });

      await page.getByRole("button", { name: "Log out" }).click();
      await page.getByRole("link", { name: "Log in", exact: true }).waitFor();
      await waitForLit(page, [logoutStep[mode]]);
      expect(await page.locator(".cart-table").count()).toBe(0);
      expect(await page.locator(".empty-state").textContent()).toContain("No cart to show");
      expect(await page.getByTestId("cart-count").count()).toBe(0);
      if (mode === "jwt") expect(await page.locator(".token-view").count()).toBe(0);
    });
  }

  it("switching mode mid-way keeps each mode's own login", async () => {
    if (!stack) throw new Error("stack not started");
    await page.goto(`${stack.baseUrl}/?mode=session`);
    await logIn(page, "alice", "wonderland42");

    await page.getByRole("radio", { name: /JWT/ }).check();
    await page.waitForURL(/mode=jwt/);
    await page.getByRole("link", { name: "Log in", exact: true }).waitFor();
    await logIn(page, "bob", "builder42");
    expect(await page.getByTestId("who").textContent()).toBe("Bob");

    await page.getByRole("radio", { name: /Session/ }).check();
    await page.waitForURL(/mode=session/);
    expect(await page.getByTestId("who").textContent()).toBe("Alice");
    // A narrow projector window: the inspector moves under the shop.
    await page.setViewportSize({ width: 800, height: 900 });
    await page.screenshot({ path: path.join(resultsDir, "session-narrow.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // A link reopens a mode, and each mode's login comes back with it.
    await page.goto(`${stack.baseUrl}/cart?mode=jwt`);
    await page.getByTestId("who").waitFor();
    expect(await page.getByTestId("who").textContent()).toBe("Bob");
    await page.goto(`${stack.baseUrl}/cart?mode=session`);
    await page.getByTestId("who").waitFor();
    expect(await page.getByTestId("who").textContent()).toBe("Alice");
  });

  it("says so clearly when a backend is stopped (the proxy answers for it)", async () => {
    if (!stack) throw new Error("stack not started");
    await stack.stopApi("jwt");
    await page.goto(`${stack.baseUrl}/?mode=jwt`);
    const alert = page.getByRole("alert").filter({ hasText: "JWT backend is not answering" });
    await alert.first().waitFor();
    expect(await alert.first().textContent()).toContain("npm start -w apps/jwt-api");
    // The other mode is untouched.
    await page.goto(`${stack.baseUrl}/?mode=session`);
    await page.getByTestId("who").waitFor();
  });

  it("ran the shop under its Content-Security-Policy without a single violation", () => {
    expect(cspViolations).toEqual([]);
  });
});
