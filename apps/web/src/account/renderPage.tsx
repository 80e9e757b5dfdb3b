// For the page tests: a page over a real ModeStore and client, talking to a fake backend.
import type { AuthMode, User } from "@repo/contract";
import { render } from "@testing-library/react";
import type { ComponentType } from "react";
import { type FakeRoute, fakeFetch, json } from "../api/fakeFetch";
import { createAppModel, useModeState } from "../app/model";
import type { ModeState, ModeStore } from "../app/modeStore";

type PageComponent = ComponentType<{ store: ModeStore; state: ModeState }>;

function Live({ store, Page }: { store: ModeStore; Page: PageComponent }) {
  return <Page store={store} state={useModeState(store)} />;
}

export const emptyDemoState: Record<AuthMode, unknown> = {
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

/** The login answer of each mode for `user`, as signup, login, refresh and `/auth/me` give it. */
export function loginAnswer(mode: AuthMode, user: User, credential = "credential-1"): Response {
  return mode === "session"
    ? json(200, { user, csrfToken: credential })
    : json(200, { user, accessToken: credential, tokenType: "Bearer", expiresIn: 900 });
}

/**
 * Renders `Page` in `mode` over a fake backend: `route` answers every call under the mode's
 * prefix (given as a path without it); the demo state and the cart answer
 * themselves unless `route` does. `user` starts logged in (restored), or nobody does.
 */
export async function renderPage(
  mode: AuthMode,
  Page: PageComponent,
  route: (path: string, request: Parameters<FakeRoute>[0]) => Response | undefined,
  user: User | null = null,
) {
  const prefix = mode === "session" ? "/api/session" : "/api/jwt";
  const { fetch, seen } = fakeFetch((request) => {
    const path = request.url.slice(prefix.length);
    const answer = route(path, request);
    if (answer) return answer;
    if (path === "/demo/state") return json(200, emptyDemoState[mode]);
    if (path === "/cart" || path.startsWith("/cart/")) {
      return json(200, { items: [], itemCount: 0, totalCents: 0 });
    }
    if (user && (path === "/auth/me" || path === "/auth/refresh")) return loginAnswer(mode, user);
    return json(401, { error: { code: "unauthenticated", message: "Log in first." } });
  });
  const model = createAppModel({ fetch });
  const store = model.stores[mode];
  await store.restore();
  const view = render(<Live store={store} Page={Page} />);
  /** The calls after the restore, as `METHOD /path` under the prefix. */
  const calls = () =>
    seen
      .filter((request) => !request.url.endsWith("/demo/state"))
      .map((request) => `${request.method} ${request.url.slice(prefix.length)}`);
  return { store, seen, calls, view };
}
