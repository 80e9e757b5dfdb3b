import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { lazy, StrictMode } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alice, emptyCart, errorBody, fakeFetch, json, withTrace } from "../api/fakeFetch";
import { DocsPanel as RealDocsPanel } from "../docs/DocsPanel";
import { App } from "./App";
import type { DocsPanelProps } from "./docsSlot";
import { createAppModel } from "./model";
import { navigate } from "./router";

const demoStates = {
  session: { mode: "session", store: "memory", sessions: [], otherSessions: 0 },
  jwt: {
    mode: "jwt",
    store: "sqlite",
    algorithm: "HS256",
    accessTokensKept: 0,
    denylistEnabled: false,
    refreshTokens: [],
    otherRefreshTokens: 0,
    denylist: [],
  },
};

/** The demo state of a backend in demo mode, or its 404 when demo mode is off. */
function demoAnswer(url: string, demo: boolean): Response {
  if (!demo) return json(404, errorBody("not_found"));
  return json(200, url.startsWith("/api/jwt") ? demoStates.jwt : demoStates.session);
}

/** Two fake backends behind one fetch: each remembers its own login, like the real ones. */
function fakeBackends({ demo = true, loggedIn = { session: false, jwt: false } } = {}) {
  return fakeFetch((request) => {
    const mode = request.url.startsWith("/api/jwt") ? "jwt" : "session";
    const path = request.url.replace(/^\/api\/(session|jwt)/, "");
    if (path === "/products") {
      return json(200, {
        products: [{ id: "tea-mug", name: "Tea mug", description: "Holds tea.", priceCents: 1200 }],
      });
    }
    if (path === "/demo/state") return demoAnswer(request.url, demo);
    if (path === "/auth/login") {
      loggedIn[mode] = true;
      return mode === "session"
        ? json(200, { user: alice, csrfToken: "csrf-token-1" })
        : json(200, { user: alice, accessToken: "a.b.c", tokenType: "Bearer", expiresIn: 900 });
    }
    if (!loggedIn[mode]) return json(401, errorBody("unauthenticated"));
    if (path === "/auth/refresh") {
      return json(200, { user: alice, accessToken: "a.b.c", tokenType: "Bearer", expiresIn: 900 });
    }
    if (path === "/auth/me") return json(200, { user: alice, csrfToken: "csrf-token-1" });
    if (path === "/cart/items") return json(200, cartOf(2));
    if (path.startsWith("/cart/items/")) return json(200, cartOf(0));
    return json(200, cartOf(1));
  });
}

const cartOf = (quantity: number) =>
  quantity === 0
    ? emptyCart
    : {
        items: [
          {
            productId: "tea-mug",
            name: "Tea mug",
            priceCents: 1200,
            quantity,
            lineTotalCents: 1200 * quantity,
          },
        ],
        itemCount: quantity,
        totalCents: 1200 * quantity,
      };

/**
 * The two fake backends with the traces of the real ones on the routes that check a login: the
 * credential read and found, and on the staff routes a role check that refuses Alice (403).
 */
function tracedBackends() {
  const backends = fakeBackends({ loggedIn: { session: true, jwt: true } });
  const fetchWithTraces = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const jwt = url.startsWith("/api/jwt");
    const path = url.replace(/^\/api\/(session|jwt)/, "");
    const lookup = jwt ? "verify_token" : "lookup_session";
    const found = [
      { step: jwt ? "send_header" : "send_cookie", action: "credential read", outcome: "ok" },
      { step: lookup, action: "credential checked", outcome: "ok" },
    ] as const;
    if (path.startsWith("/admin/")) {
      return withTrace(json(403, errorBody("forbidden", "Only staff may do this.")), [
        ...found,
        { step: lookup, action: "role checked", outcome: "fail", detail: "role customer" },
      ]);
    }
    const response = await backends.fetch(input, init);
    if (path === "/products" || path === "/demo/state") return response;
    return withTrace(response, [...found]);
  };
  return { ...backends, fetch: fetchWithTraces as typeof fetch };
}

/** The state a step of `mode`'s workflow shows. */
function stepState(container: HTMLElement, mode: string, step: string): string | undefined {
  return container.querySelector<HTMLElement>(
    `.inspector[data-mode="${mode}"] .workflow li[data-step="${step}"]`,
  )?.dataset.state;
}

const docsPanelCalls: string[] = [];
// Every step of an action lit at once: the tests read the lights an action ends with.
const instantSteps = { liveStepMs: 0, replayStepMs: 0 };
const lookupOf = (mode: string) => (mode === "jwt" ? "verify_token" : "lookup_session");
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

  it("shows the shop while a docs panel loaded on demand is still on its way", async () => {
    const { fetch } = fakeBackends();
    let arrive: (module: { default: typeof DocsPanel }) => void = () => undefined;
    const LazyPanel = lazy(() => new Promise<{ default: typeof DocsPanel }>((r) => (arrive = r)));
    render(<App model={createAppModel({ fetch, storage: localStorage })} docsPanel={LazyPanel} />);
    await screen.findByRole("button", { name: "Fill in Alice" });
    const docs = screen.getByRole("complementary", { name: "Docs" });
    expect(docs.textContent).toBe("Loading the docs…");
    act(() => arrive({ default: DocsPanel }));
    expect(await within(docs).findByText("chapter for session")).toBeTruthy();
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
    const { fetch } = fakeFetch((request) => {
      if (request.url.endsWith("/auth/login"))
        return json(429, errorBody("rate_limited", "Too many"), { "retry-after": "42" });
      if (request.url.endsWith("/demo/state")) return demoAnswer(request.url, true);
      return json(401, errorBody("unauthenticated"));
    });
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Fill in Bob" }));
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Too many failed logins");
    expect(alert.textContent).toMatch(/Try again in 4[12] s/);
  });

  it("offers the demo users only when the backend is in demo mode, and stops asking after a 404", async () => {
    const { fetch, seen } = fakeBackends({ demo: false });
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    await waitFor(() => expect(seen.some((r) => r.url.endsWith("/demo/state"))).toBe(true));
    fireEvent.change(screen.getByLabelText("Username"), { target: { value: "alice" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "wonderland42" } });
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    await screen.findByTestId("who");
    await act(() => new Promise((resolve) => setTimeout(resolve, 150)));
    expect(screen.queryByRole("button", { name: /^Fill in/ })).toBeNull();
    expect(seen.filter((r) => r.url.endsWith("/demo/state"))).toHaveLength(1);
  });

  it("loads the cart once when a reload lands on the cart page, even in StrictMode", async () => {
    window.history.replaceState(null, "", "/cart?mode=session");
    const { fetch, seen } = fakeBackends({ loggedIn: { session: true, jwt: false } });
    render(
      <StrictMode>
        <App model={createAppModel({ fetch, storage: localStorage })} />
      </StrictMode>,
    );
    await screen.findByRole("button", { name: "One more Tea mug" });
    expect(seen.filter((r) => r.method === "GET" && r.url === "/api/session/cart")).toHaveLength(1);
  });

  it("adds one on the server for +, and holds the quantity buttons while a change is on its way", async () => {
    window.history.replaceState(null, "", "/cart?mode=session");
    const { fetch, seen } = fakeBackends({ loggedIn: { session: true, jwt: false } });
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    const more = (await screen.findByRole("button", {
      name: "One more Tea mug",
    })) as HTMLButtonElement;
    fireEvent.click(more);
    expect(more.disabled).toBe(true);
    expect(
      (screen.getByRole("button", { name: "One less Tea mug" }) as HTMLButtonElement).disabled,
    ).toBe(true);
    fireEvent.click(more); // ignored while the first change is pending
    await waitFor(() =>
      expect(screen.getByRole("status", { name: "Quantity of Tea mug" }).textContent).toBe("2"),
    );
    const adds = seen.filter((r) => r.method === "POST" && r.url.endsWith("/cart/items"));
    expect(adds).toHaveLength(1);
    expect(adds[0]?.body).toEqual({ productId: "tea-mug", quantity: 1 });
  });

  it("opens the new mode's chapter when the mode switches, whatever was picked before", async () => {
    const { fetch } = fakeBackends();
    const { container } = render(
      <App model={createAppModel({ fetch, storage: localStorage })} docsPanel={RealDocsPanel} />,
    );
    const chapter = () => container.querySelector<HTMLElement>(".docs-body")?.dataset.chapter;
    fireEvent.click(screen.getByRole("checkbox", { name: "Follow the workflow" }));
    fireEvent.change(screen.getByRole("combobox", { name: "Chapter" }), {
      target: { value: "05-security.md" },
    });
    // Chapters load on demand: wait until the picked one is on screen.
    await waitFor(() => expect(chapter()).toBe("05-security.md"));
    fireEvent.click(screen.getByRole("radio", { name: /JWT/ }));
    await waitFor(() => expect(chapter()).toBe("03-jwt.md"));
  });
});

describe("the workshop screen", () => {
  it("shows nothing red and no step 'just done' on a first visit, before any click", async () => {
    // A first visit asks "who am I?": no cookie, so the server traces a failed cookie step.
    const { fetch } = fakeFetch((request) => {
      if (request.url.endsWith("/demo/state")) return demoAnswer(request.url, true);
      if (request.url.endsWith("/auth/me")) {
        return withTrace(json(401, errorBody("unauthenticated")), [
          { step: "send_cookie", action: "no sid cookie on the request", outcome: "fail" },
        ]);
      }
      return json(401, errorBody("unauthenticated"));
    });
    docsPanelCalls.length = 0;
    const { container } = render(
      <App model={createAppModel({ fetch, storage: localStorage })} docsPanel={DocsPanel} />,
    );
    await screen.findByRole("button", { name: "Fill in Alice" }, { timeout: 15_000 });
    await screen.findByText("/api/session/auth/me", undefined, { timeout: 15_000 });
    expect(container.querySelector('.workflow li[data-state="fail"]')).toBeNull();
    expect(container.querySelector('.workflow li[aria-current="step"]')).toBeNull();
    expect(docsPanelCalls.at(-1)).toBe("session - ");
  });

  it("remembers projector mode, which drops the request log", async () => {
    const { fetch } = fakeBackends();
    const first = render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    expect(screen.getByRole("heading", { name: "Requests" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Projector" }));
    expect(first.container.querySelector(".app.projector")).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Requests" })).toBeNull();
    first.unmount();
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    expect(screen.getByRole("button", { name: "Projector" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
  });

  it("shows on the Compare page what the latest request said, not a refusal from before", async () => {
    window.history.replaceState(null, "", "/compare");
    const { fetch } = tracedBackends();
    const model = createAppModel({ fetch, storage: localStorage, timing: instantSteps });
    // Alice, a customer, was refused the staff page in both modes: each lookup said "fail".
    for (const store of Object.values(model.stores)) {
      await store.restore();
      await store.attempt((client) => client.admin.users());
      expect(store.getState().steps).toMatchObject({ [lookupOf(store.mode)]: "fail" });
    }
    const { container } = render(<App model={model} />);
    fireEvent.click(
      await screen.findByRole("button", { name: "Add to cart", exact: true } as never),
    );
    for (const mode of ["session", "jwt"] as const) {
      await waitFor(() =>
        expect(screen.getByTestId(`compare-status-${mode}`).textContent).toContain("cart: 2 items"),
      );
      await waitFor(() => expect(stepState(container, mode, lookupOf(mode))).toBe("ok"));
    }
  });

  it("shows on a one-mode page what the latest request said, not a refusal from before", async () => {
    window.history.replaceState(null, "", "/?mode=jwt");
    const { fetch } = tracedBackends();
    const model = createAppModel({ fetch, storage: localStorage, timing: instantSteps });
    await model.stores.jwt.restore();
    await model.stores.jwt.attempt((client) => client.admin.users());
    const { container } = render(<App model={model} />);
    await waitFor(() => expect(stepState(container, "jwt", "verify_token")).toBe("fail"));
    fireEvent.click(await screen.findByRole("button", { name: "Add to cart: Tea mug" }));
    await waitFor(() => expect(screen.getByTestId("cart-count").textContent).toBe("2"));
    await waitFor(() => expect(stepState(container, "jwt", "verify_token")).toBe("ok"));
  });

  it("runs one action in both modes at once on the Compare page, side by side", async () => {
    window.history.replaceState(null, "", "/compare?mode=session");
    const { fetch, seen } = fakeBackends();
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    fireEvent.click(
      await screen.findByRole("button", { name: "Log in as Alice" }, { timeout: 15_000 }),
    );
    await waitFor(
      () => {
        expect(screen.getByTestId("compare-status-session").textContent).toContain("Alice");
        expect(screen.getByTestId("compare-status-jwt").textContent).toContain("Alice");
      },
      { timeout: 15_000 },
    );
    const logins = seen.filter((request) => request.url.endsWith("/auth/login"));
    expect(logins.map((request) => request.url).sort()).toEqual([
      "/api/jwt/auth/login",
      "/api/session/auth/login",
    ]);
    // Both workflows, side by side.
    expect(screen.getByRole("heading", { name: "Workflow (session)" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Workflow (JWT)" })).toBeTruthy();
  });
});

/** An unsigned-looking access token with `role` in its payload: the page only reads it. */
function tokenWithRole(role: string, jti: string): string {
  const part = (value: object) =>
    btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "HS256", typ: "at+jwt" })}.${part({ sub: alice.id, role, jti, exp: 4102444800 })}.c2lnbmF0dXJl`;
}

/**
 * One backend of `mode` where Alice's role lives in `store` and may change behind the page's
 * back, as a staff member's switch does. JWT: each token carries the role it was signed with
 * and the staff routes trust the claim; `expireTokens` makes the tokens handed out so far
 * expire. Sessions: the role is read on each request.
 */
function roleBackend(mode: "session" | "jwt", store: { role: "customer" | "staff" }) {
  const tokens = new Map<string, "customer" | "staff">();
  const expired = new Set<string>();
  const issue = () => {
    const token = tokenWithRole(store.role, `t${tokens.size}`);
    tokens.set(token, store.role);
    const user = { ...alice, role: store.role };
    return { user, accessToken: token, tokenType: "Bearer", expiresIn: 900 };
  };
  const backend = fakeFetch((request) => {
    const path = request.url.replace(/^\/api\/(session|jwt)/, "");
    if (path === "/demo/state") return demoAnswer(request.url, false);
    if (path === "/products") return json(200, { products: [] });
    const me = { user: { ...alice, role: store.role }, csrfToken: "csrf-token-1" };
    const forbidden = () => json(403, errorBody("forbidden", "Only staff may do this."));
    if (mode === "session") {
      if (path === "/auth/login" || path === "/auth/me") return json(200, me);
      if (path.startsWith("/admin/")) {
        if (store.role !== "staff") return forbidden();
        return json(200, path === "/admin/users" ? { users: [] } : { carts: [] });
      }
      return json(200, emptyCart);
    }
    if (path === "/auth/login") return json(200, issue());
    // No refresh cookie before the first login.
    if (path === "/auth/refresh") {
      return tokens.size > 0 ? json(200, issue()) : json(401, errorBody("unauthenticated"));
    }
    const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (expired.has(token)) return json(401, errorBody("token_expired", "The token expired."));
    const claim = tokens.get(token);
    if (!claim) return json(401, errorBody("unauthenticated"));
    if (path.startsWith("/admin/") && claim !== "staff") return forbidden();
    return json(200, emptyCart);
  });
  const expireTokens = () => {
    for (const token of tokens.keys()) expired.add(token);
  };
  return { ...backend, expireTokens };
}

describe("the role in the top bar", () => {
  const staffLink = () => screen.queryByRole("link", { name: "Staff" });

  it("jwt mode: follows the role claim of the token the page holds, as soon as a refresh brings one", async () => {
    window.history.replaceState(null, "", "/login?mode=jwt");
    const role = { role: "customer" as "customer" | "staff" };
    const { fetch, expireTokens } = roleBackend("jwt", role);
    const model = createAppModel({ fetch, storage: localStorage });
    render(<App model={model} />);
    fireEvent.change(await screen.findByLabelText("Username"), { target: { value: "alice" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "wonderland42" } });
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect((await screen.findByTestId("who-role")).textContent).toBe("customer (token)");
    expect(staffLink()).toBeNull();
    // A staff member promotes Alice; her token still says customer until it is refreshed.
    role.role = "staff";
    await act(() => model.stores.jwt.loadCart());
    expect(staffLink()).toBeNull();
    expireTokens();
    await act(() => model.stores.jwt.loadCart()); // refused as expired, refreshed, retried
    await waitFor(() => expect(staffLink()).not.toBeNull());
    expect(screen.getByTestId("who-role").textContent).toBe("staff (token)");
  });

  it("session mode: follows the user the server last named, asking again when the staff routes disagree", async () => {
    window.history.replaceState(null, "", "/?mode=session");
    const role = { role: "customer" as "customer" | "staff" };
    const { fetch, seen } = roleBackend("session", role);
    render(<App model={createAppModel({ fetch, storage: localStorage })} />);
    expect((await screen.findByTestId("who")).title).toMatch(/^Role customer, as the server/);
    expect(screen.queryByTestId("who-role")).toBeNull(); // no claim to show: the store decides
    expect(staffLink()).toBeNull();
    // Promoted behind the page's back: the staff page (address typed) lets her in, so the page
    // asks who she is, and the top bar follows.
    role.role = "staff";
    act(() => navigate({ page: "staff", mode: "session" }));
    await waitFor(() => expect(staffLink()).not.toBeNull());
    expect(screen.getByTestId("who").title).toMatch(/^Role staff,/);
    // Demoted again: the staff link's page is refused, and the link goes.
    role.role = "customer";
    const asked = seen.filter((request) => request.url.endsWith("/auth/me")).length;
    act(() => navigate({ page: "products", mode: "session" }));
    act(() => navigate({ page: "staff", mode: "session" }));
    await screen.findByText("403 forbidden: staff only");
    await waitFor(() => expect(staffLink()).toBeNull());
    expect(seen.filter((request) => request.url.endsWith("/auth/me")).length).toBe(asked + 1);
  });
});

/**
 * A window whose width the test sets: `matchMedia` answers the app's `min-width` queries from
 * it and tells their listeners when it changes, as a browser does on resize (jsdom has none).
 */
function fakeViewport(width: number) {
  let current = width;
  const listeners = new Set<() => void>();
  window.matchMedia = (query: string) => {
    const min = Number(/min-width:\s*(\d+)px/.exec(query)?.[1] ?? 0);
    return {
      media: query,
      get matches() {
        return current >= min;
      },
      addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
      removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
    } as unknown as MediaQueryList;
  };
  return {
    resize(to: number) {
      current = to;
      act(() => {
        for (const listener of [...listeners]) listener();
      });
    },
    restore() {
      Reflect.deleteProperty(window, "matchMedia");
    },
  };
}

describe("the layout across a breakpoint", () => {
  it("keeps a half-filled form when the window crosses from columns to one column and back", async () => {
    window.history.replaceState(null, "", "/signup?mode=session");
    const viewport = fakeViewport(1280);
    try {
      const { fetch } = fakeBackends();
      const { container } = render(
        <App model={createAppModel({ fetch, storage: localStorage })} docsPanel={DocsPanel} />,
      );
      const username = await screen.findByLabelText("Username");
      fireEvent.change(username, { target: { value: "carol" } });
      expect(container.querySelector(".columns")).not.toBeNull();
      for (const width of [390, 800, 1920]) {
        viewport.resize(width);
        expect((screen.getByLabelText("Username") as HTMLInputElement).value).toBe("carol");
        // The very same element: the page was moved, not built again.
        expect(screen.getByLabelText("Username")).toBe(username);
      }
      viewport.resize(390);
      expect(container.querySelector(".stack")).not.toBeNull();
    } finally {
      viewport.restore();
    }
  });
});
