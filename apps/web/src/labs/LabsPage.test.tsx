import { instanceHeaderName } from "@repo/contract";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { alice, emptyCart, errorBody, type FakeRoute, fakeFetch, json } from "../api/fakeFetch";
import { createAppModel } from "../app/model";
import { axeViolations } from "../test-axe";
import { checklistKey } from "./checklist";
import { LabsPage } from "./LabsPage";
import { labs } from "./registry";

function labSection(container: HTMLElement, id: string): HTMLElement {
  const section = container.querySelector<HTMLElement>(`section[data-lab="${id}"]`);
  if (!section) throw new Error(`no lab ${id} on the page`);
  return section;
}

const jwtSettings = { accessTokenTtlSeconds: 900, denylist: false, userCutoff: false };

/** A pair of backends in one process, each answering as one instance. */
const backends: FakeRoute = ({ url, method }) => {
  const at = (path: string) => url.endsWith(path);
  const instance = { [instanceHeaderName]: url.includes("/api/jwt") ? "4002" : "4001" };
  if (at("/api/session/demo/settings")) {
    const sessionStore = { sessionStore: "sqlite" };
    return json(200, {
      mode: "session",
      settings: sessionStore,
      configured: sessionStore,
      choices: { sessionStore: ["memory", "sqlite"] },
    });
  }
  if (at("/api/jwt/demo/settings")) {
    return json(200, {
      mode: "jwt",
      settings: { ...jwtSettings, accessTokenTtlSeconds: 30 },
      configured: jwtSettings,
    });
  }
  if (at("/health")) return json(200, { status: "ok", store: { sessions: "memory" } }, instance);
  if (at("/api/session/auth/login")) return json(200, { user: alice, csrfToken: "c" }, instance);
  if (at("/api/jwt/auth/login")) {
    const answer = { user: alice, accessToken: "a.b.c", tokenType: "Bearer", expiresIn: 900 };
    return json(200, answer, instance);
  }
  if (at("/auth/logout")) return json(204, null, instance);
  if (at("/cart") && method === "GET") return json(200, emptyCart, instance);
  return json(404, errorBody("not_found"));
};

describe("the Labs page", () => {
  beforeEach(() => {
    localStorage.setItem(checklistKey, JSON.stringify({ replay: "2026-01-01T00:00:00.000Z" }));
    vi.stubGlobal("fetch", fakeFetch(backends).fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it("lists every lab with its Run button, the settings in force and this browser's checklist", async () => {
    const model = createAppModel({ fetch: fakeFetch(backends).fetch, storage: localStorage });
    const { container } = render(<LabsPage model={model} />);
    for (const lab of labs) {
      const section = labSection(container, lab.id);
      expect(within(section).getByRole("heading", { name: lab.title })).toBeTruthy();
      expect(within(section).getByRole<HTMLButtonElement>("button", { name: "Run" }).disabled).toBe(
        false,
      );
    }
    const settings = screen.getByTestId("lab-settings");
    expect(await within(settings).findByText("sqlite")).toBeTruthy();
    // The lifetime differs from the configured one, so the bar says both: in minutes when it is
    // a whole number of them, as the rest of the app says a wait.
    expect(await within(settings).findByText("30 s")).toBeTruthy();
    expect(within(settings).getByText(/configured: 15 min/)).toBeTruthy();
    const checklist = screen.getByRole("navigation", { name: "Labs" });
    expect(checklist.querySelectorAll('li[data-done="true"]')).toHaveLength(1);
    expect(await axeViolations(container, ["aria-allowed-attr", "list", "region"])).toEqual([]);
  });

  it("runs a lab: its table fills from the answers, its requests reach each mode's inspector, and the checklist ticks", async () => {
    const model = createAppModel({ fetch: fakeFetch(backends).fetch, storage: localStorage });
    const { container } = render(<LabsPage model={model} />);
    const section = labSection(container, "scale-out");
    await userEvent.click(within(section).getByRole("button", { name: "Run" }));
    const session = await within(section).findByText(/One instance \(4001\) answered all 8/);
    expect(session.closest("tr")?.dataset.outcome).toBe("unavailable");
    expect(within(section).getByText(/One instance \(4002\) answered all 8/)).toBeTruthy();
    const logged = (mode: "session" | "jwt") =>
      model.stores[mode].getState().requests.map((request) => request.path);
    expect(logged("session")).toContain("/api/session/auth/login");
    expect(logged("jwt")).toContain("/api/jwt/auth/login");
    expect(logged("jwt")).not.toContain("/api/session/auth/login");
    expect(JSON.parse(localStorage.getItem(checklistKey) ?? "{}")).toHaveProperty("scale-out");
  });
});
