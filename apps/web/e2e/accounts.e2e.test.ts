import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { watchCspViolations } from "./csp";
import { backendsExist, type Stack, startStack, stopAllChildren, webDir } from "./harness";

const resultsDir = path.join(webDir, "test-results");
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

const ready = backendsExist();
if (!ready) {
  console.warn("\n!!! Browser tests SKIPPED: a backend's src/index.ts is missing.\n");
}

// Generous limits: these wait for conditions (a login, an answer), never for the machine.
const wait = { timeout: 30_000 };

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole("link", { name: "Log in", exact: true }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
}

/** Every axe-core rule on the page as it stands; the serious and critical findings. */
async function seriousAxeFindings(page: Page): Promise<string[]> {
  // Evaluated by the browser's devtools protocol, which the page's policy does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Finding = { id: string; impact?: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Finding[] }> } }).axe;
    const { violations } = await axe.run();
    return violations
      .filter((finding) => finding.impact === "serious" || finding.impact === "critical")
      .flatMap((finding) => finding.nodes.map((node) => `${finding.id}: ${node.target.join(" ")}`));
  });
}

/** A screenshot for a person to look at, and the page's accessibility checked. */
async function review(page: Page, name: string): Promise<void> {
  // The viewport only: a full-page shot resizes the window, and the layout answers a resize.
  await page.screenshot({ path: path.join(resultsDir, `${name}.png`) });
  expect(await seriousAxeFindings(page)).toEqual([]);
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await page.getByRole("link", { name: "Log in", exact: true }).waitFor(wait);
}

describe.skipIf(!ready)("accounts and the staff page in Chromium, in both modes", () => {
  let stack: Stack | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let violations: string[] = [];

  beforeAll(async () => {
    await mkdir(resultsDir, { recursive: true });
    stack = await startStack();
    browser = await launchChromium();
    violations = await watchCspViolations(browser.context);
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await stopAllChildren();
  });

  it("serves the app with a Content-Security-Policy that allows no inline script", async () => {
    if (!stack) throw new Error("stack not started");
    const response = await page.goto(`${stack.baseUrl}/signup?mode=session`);
    const policy = response?.headers()["content-security-policy"] ?? "";
    const scriptSrc = policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scriptSrc.trim()).toBe("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    // The labs may frame the attacker site, at both of its origins (its port is the stack's).
    expect(policy).toMatch(/frame-src http:\/\/localhost:\d+ http:\/\/127\.0\.0\.1:\d+;/);
  });

  for (const mode of ["session", "jwt"] as const) {
    it(`${mode} mode: sign up, change the password and log in with it, log out everywhere`, async () => {
      if (!stack) throw new Error("stack not started");
      const username = `e2e-${mode}-${randomBytes(3).toString("hex")}`;
      const first = "first long passphrase";
      const second = "second long passphrase";
      await page.goto(`${stack.baseUrl}/signup?mode=${mode}`);
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Display name").fill(`Tester ${mode}`);
      // A common password first: the server's reason is shown, and nothing is created.
      await page.getByLabel("Password").fill("password123");
      await page.getByRole("button", { name: "Sign up" }).click();
      await page
        .getByRole("alert")
        .filter({ hasText: /common/i })
        .waitFor(wait);
      await review(page, `signup-refused-${mode}`);
      await page.getByLabel("Password").fill(first);
      await page.getByRole("button", { name: "Sign up" }).click();
      await page
        .getByTestId("who")
        .filter({ hasText: `Tester ${mode}` })
        .waitFor(wait);
      await page.getByRole("heading", { name: "Account", exact: true }).waitFor(wait);

      await page.getByLabel("Current password").fill(first);
      await page.getByLabel("New password").fill(second);
      await page.getByRole("button", { name: "Change the password" }).click();
      await page.getByRole("status").filter({ hasText: "Password changed." }).waitFor(wait);
      await review(page, `account-${mode}`);
      // The login goes on with the new credential: the cart loads, as this user.
      await page.getByRole("link", { name: /^Cart/ }).click();
      await page.getByText("Your cart is empty.").waitFor(wait);

      await logOut(page);
      await logIn(page, username, first);
      await page.getByRole("alert").filter({ hasText: "Wrong username or password" }).waitFor(wait);
      await page.getByLabel("Password").fill(second);
      await page.getByRole("button", { name: "Log in", exact: true }).click();
      await page.getByTestId("who").waitFor(wait);

      await page.getByRole("link", { name: "Account", exact: true }).click();
      await page.getByRole("button", { name: "Log out everywhere" }).click();
      await page.getByRole("status").filter({ hasText: "Logged out everywhere." }).waitFor(wait);
      await page.getByRole("link", { name: "Log in", exact: true }).waitFor(wait);
      expect(await page.getByTestId("who").count()).toBe(0);
      // The server agrees: a reload finds nobody.
      await page.reload();
      await page.getByRole("link", { name: "Log in", exact: true }).waitFor(wait);
      expect(await page.getByTestId("who").count()).toBe(0);
    });

    it(`${mode} mode: sam toggles bob's role on the staff page; alice gets the 403 explained`, async () => {
      if (!stack) throw new Error("stack not started");
      await page.goto(`${stack.baseUrl}/?mode=${mode}`);
      await logIn(page, "sam", "storekeeper42");
      await page.getByTestId("who").filter({ hasText: "Sam" }).waitFor(wait);
      // The inspector shows where this mode keeps the role, and which instance answered.
      if (mode === "session") {
        await page.getByTestId("session-role").filter({ hasText: "staff" }).first().waitFor(wait);
      } else {
        await page
          .getByTestId("role-claim")
          .filter({ hasText: "Role claim: staff." })
          .waitFor(wait);
      }
      await page.locator(".request-row .tag.instance").first().waitFor(wait);
      await page.getByRole("link", { name: "Staff", exact: true }).click();
      const bobIsStaff = page.getByRole("switch", { name: "Staff: bob" });
      await bobIsStaff.waitFor(wait);
      expect(await bobIsStaff.isChecked()).toBe(false);
      expect(await page.getByRole("switch", { name: "Staff: sam" }).isDisabled()).toBe(true);
      await bobIsStaff.click();
      await page.locator('tr[data-username="bob"][data-role="staff"]').waitFor(wait);
      await page.getByRole("status").filter({ hasText: "bob is now staff." }).waitFor(wait);
      await review(page, `staff-${mode}`);
      // Back as it was, for the other mode (both share one store).
      await bobIsStaff.click();
      await page.locator('tr[data-username="bob"][data-role="customer"]').waitFor(wait);
      expect(
        await page.getByRole("table", { name: "Carts" }).getByRole("row").count(),
      ).toBeGreaterThan(3);
      await logOut(page);

      await logIn(page, "alice", "wonderland42");
      await page.getByTestId("who").filter({ hasText: "Alice" }).waitFor(wait);
      expect(await page.getByRole("link", { name: "Staff", exact: true }).count()).toBe(0);
      await page.goto(`${stack.baseUrl}/staff?mode=${mode}`);
      const explained = page.getByRole("alert").filter({ hasText: "403 forbidden: staff only" });
      await explained.waitFor(wait);
      const text = (await explained.textContent()) ?? "";
      expect(text).toContain("Authentication passed.");
      expect(text).toContain("Authorization failed.");
      expect(text).toMatch(mode === "session" ? /from the store/ : /claim/);
      await review(page, `staff-forbidden-${mode}`);
      expect(await page.getByRole("switch").count()).toBe(0);
      await logOut(page);
    });
  }

  it("ran every page under the policy without a single violation, and the policy holds", async () => {
    if (!stack) throw new Error("stack not started");
    expect(violations).toEqual([]);
    // An inline script put into the page, as an XSS bug would, does not run, and is reported.
    await page.goto(`${stack.baseUrl}/?mode=session`);
    await page.getByRole("heading", { name: "Products" }).waitFor(wait);
    const ran = await page.evaluate(async () => {
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations.join("\n"), wait).toMatch(/script-src/);
  });
});
