// Reading the Labs page as a user sees it: Run a lab, wait for its table, read a row.
import type { Locator, Page } from "playwright-core";

/** One row of a lab's table, as the page shows it. */
export interface Row {
  outcome: string;
  verdict: string;
  /** Each request line: who sent it, its status and error code. */
  requests: { actor: string; status: number; code: string; text: string }[];
}

export function lab(page: Page, id: string): Locator {
  return page.locator(`section[data-lab="${id}"]`);
}

/** Clicks Run and waits, generously, until the lab has finished and filled its table. */
export async function run(page: Page, id: string, timeoutMs = 90_000): Promise<void> {
  const section = lab(page, id);
  await section.getByRole("button", { name: "Run", exact: true }).click();
  await section.locator(".lab-table").first().waitFor({ timeout: timeoutMs });
  await section
    .getByRole("button", { name: "Run", exact: true })
    .and(page.locator(":enabled"))
    .waitFor({ timeout: timeoutMs });
}

export async function row(page: Page, id: string, key: string): Promise<Row> {
  const tr = lab(page, id).locator(`tr[data-row="${key}"]`).first();
  await tr.waitFor({ timeout: 15_000 });
  const requests = await tr.locator(".lab-request").evaluateAll((items) =>
    items.map((item) => {
      const element = item as HTMLElement;
      return {
        actor: element.dataset.actor ?? "",
        status: Number(element.dataset.status),
        code: element.dataset.code ?? "",
        text: element.textContent ?? "",
      };
    }),
  );
  return {
    outcome: (await tr.getAttribute("data-outcome")) ?? "",
    verdict: (await tr.locator(".lab-verdict").textContent()) ?? "",
    requests,
  };
}

/** The statuses of one person's requests to one path, in order. */
export function statuses(found: Row, actor: string, pathPart: string): number[] {
  return found.requests
    .filter((request) => request.actor === actor && request.text.includes(pathPart))
    .map((request) => request.status);
}
