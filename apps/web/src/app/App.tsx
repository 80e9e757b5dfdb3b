import type { AuthMode, WorkflowStep } from "@repo/contract";
import { Suspense, useEffect, useState } from "react";
import { AccountLinks } from "../account/AccountLinks";
import { Inspector } from "../inspector/Inspector";
import { ErrorMessage } from "../shop/ErrorMessage";
import type { DocsPanelComponent } from "./docsSlot";
import { ModeToggle } from "./ModeToggle";
import { type AppModel, useModeState } from "./model";
import { dataOf } from "./modeStore";
import { pages } from "./pages";
import { Link, navigate, useLocation } from "./router";

export interface AppProps {
  model: AppModel;
  /** The docs panel, shown beside the inspector when given. */
  docsPanel?: DocsPanelComponent;
}

/** The page: toggle and navigation on top, the shop, and beside it the inspector (and docs). */
export function App({ model, docsPanel: DocsPanel }: AppProps) {
  const location = useLocation();
  const store = model.stores[location.mode];
  const state = useModeState(store);
  const [docsOpen, setDocsOpen] = useState(true);

  useEffect(() => {
    void store.restore();
  }, [store]);

  const switchMode = (mode: AuthMode) => navigate({ ...location, mode });
  const cartCount = state.auth === "loggedIn" ? dataOf(state.cart)?.itemCount : undefined;
  const litSteps = Object.keys(state.steps) as WorkflowStep[];
  const CurrentPage = pages[location.page];

  return (
    <div className={`app mode-${location.mode}`}>
      <a href="#main" className="skip-link">
        Skip to the shop
      </a>
      <header className="topbar">
        <p className="brand">
          Session <span aria-hidden="true">vs</span>
          <span className="visually-hidden">versus</span> JWT shop
        </p>
        <ModeToggle mode={location.mode} onChange={switchMode} />
        <nav aria-label="Shop">
          <Link
            to={{ ...location, page: "products" }}
            aria-current={location.page === "products" ? "page" : undefined}
          >
            Products
          </Link>
          <Link
            to={{ ...location, page: "cart" }}
            aria-current={location.page === "cart" ? "page" : undefined}
          >
            Cart
            {cartCount !== undefined && (
              <span className="badge" data-testid="cart-count">
                {cartCount}
              </span>
            )}
          </Link>
          <AccountLinks location={location} state={state} />
          {state.auth === "loggedIn" && state.user ? (
            <span className="who">
              <span data-testid="who">{state.user.displayName}</span>
              <button type="button" className="secondary" onClick={() => void store.logout()}>
                Log out
              </button>
            </span>
          ) : (
            <Link
              to={{ ...location, page: "login" }}
              aria-current={location.page === "login" ? "page" : undefined}
            >
              Log in
            </Link>
          )}
          {DocsPanel && (
            <button
              type="button"
              className="secondary"
              aria-pressed={docsOpen}
              onClick={() => setDocsOpen(!docsOpen)}
            >
              Docs
            </button>
          )}
        </nav>
      </header>
      <div className={DocsPanel && docsOpen ? "layout with-docs" : "layout"}>
        <main id="main" className="shop" tabIndex={-1}>
          {state.notice && (
            <ErrorMessage
              error={state.notice}
              mode={store.mode}
              onDismiss={() => store.dismissNotice()}
            />
          )}
          <Suspense fallback={<p className="muted">Loading the page…</p>}>
            <CurrentPage store={store} state={state} />
          </Suspense>
        </main>
        <aside className="side" aria-label="Inspector">
          <Inspector store={store} state={state} tokens={model.tokens} />
        </aside>
        {DocsPanel && docsOpen && (
          <aside className="docs-slot" aria-label="Docs">
            {/* The panel itself may load on demand (main.tsx): the shop does not wait for it. */}
            <Suspense fallback={<p className="muted">Loading the docs…</p>}>
              <DocsPanel
                key={location.mode}
                mode={location.mode}
                activeStep={state.lastStep}
                litSteps={litSteps}
              />
            </Suspense>
          </aside>
        )}
      </div>
    </div>
  );
}
