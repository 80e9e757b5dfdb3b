import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alice, emptyCart, errorBody, fakeFetch, json } from "../api/fakeFetch";
import { App } from "./App";
import type { DocsPanelProps } from "./docsSlot";
import { createAppModel } from "./model";

/** Two fake backends behind one fetch: each remembers its own login, like the real ones. */
function fakeBackends() {
  const loggedIn = { session: false, jwt: false };
  return fakeFetch((request) => {
    const mode = request.url.startsWith("/api/jwt") ? "jwt" : "session";
    const path = request.url.replace(/^\/api\/(session|jwt)/, "");
    if (path === "/products") {
      return json(200, {
        products: [{ id: "tea-mug", name: "Tea mug", description: "Holds tea.", priceCents: 1200 }],
      });
    }
    if (path === "/demo/state") return json(404, errorBody("not_found"));
    if (path === "/auth/login") {
      loggedIn[mode] = true;
      return mode === "session"
        ? json(200, { user: alice, csrfToken: "csrf-token-1" })
        : json(200, { user: alice, accessToken: "a.b.c", tokenType: "Bearer", expiresIn: 900 });
    }
    if (!loggedIn[mode]) return json(401, errorBody("unauthenticated"));
    if (path === "/auth/me") return json(200, { user: alice, csrfToken: "csrf-token-1" });
    return json(200, emptyCart);
  });
}

const docsPanelCalls: string[] = [];
function DocsPanel(props: DocsPanelProps) {
  docsPanelCalls.push(`${props.mode} ${props.activeStep ?? "-"} ${props.litSteps.join(",")}`);
  return <p>chapter for {props.mode}</p>;
}

beforeEach(() => {
  window.history.replaceState(null, "", "/login?mode=session");
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(cleanup);

describe("App", () => {
  it("keeps each mode's own login when the toggle switches", async () => {
    const { fetch } = fakeBackends();
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);

    fireEvent.click(await screen.findByRole("button", { name: "Fill in Alice" }));
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect((await screen.findByTestId("who")).textContent).toBe("Alice");
    expect(window.location.pathname).toBe("/");

    fireEvent.click(screen.getByRole("radio", { name: /JWT/ }));
    expect(window.location.search).toBe("?mode=jwt");
    await screen.findByRole("link", { name: "Log in" });
    expect(screen.queryByTestId("who")).toBeNull();

    fireEvent.click(screen.getByRole("radio", { name: /Session/ }));
    expect((await screen.findByTestId("who")).textContent).toBe("Alice");
  });

  it("gives the docs panel slot the mode and the lit workflow steps", async () => {
    const { fetch } = fakeBackends();
    docsPanelCalls.length = 0;
    render(<App model={createAppModel({ fetch, storage: localStorage })} docsPanel={DocsPanel} />);
    expect(
      within(screen.getByRole("complementary", { name: "Docs" })).getByText("chapter for session"),
    ).toBeTruthy();
    fireEvent.click(await screen.findByRole("button", { name: "Fill in Alice" }));
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    await screen.findByTestId("who");
    expect(docsPanelCalls.at(-1)).toMatch(/^session \w+ post_credentials/);
    fireEvent.click(screen.getByRole("button", { name: "Docs" }));
    expect(screen.queryByRole("complementary", { name: "Docs" })).toBeNull();
  });

  it("shows a stopped backend as a clear message", async () => {
    const { fetch } = fakeFetch(() => new Response("", { status: 502 }));
    window.history.replaceState(null, "", "/?mode=jwt");
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    await waitFor(() =>
      expect(
        screen
          .getAllByRole("alert")
          .map((alert) => alert.textContent)
          .join(" "),
      ).toContain("The JWT backend is not answering (HTTP 502 from the proxy)"),
    );
  });

  it("counts a 429's Retry-After down on the login form", async () => {
    const { fetch } = fakeFetch((request) =>
      request.url.endsWith("/auth/login")
        ? json(429, errorBody("rate_limited", "Too many"), { "retry-after": "42" })
        : json(401, errorBody("unauthenticated")),
    );
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Fill in Bob" }));
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Too many failed logins");
    expect(alert.textContent).toMatch(/Try again in 4[12] s/);
  });
});
