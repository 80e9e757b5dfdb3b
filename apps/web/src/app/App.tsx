import type { AuthMode, WorkflowStep } from "@repo/contract";
import { Suspense, useEffect, useRef, useState } from "react";
import { Inspector } from "../inspector/Inspector";
import { ErrorMessage } from "../shop/ErrorMessage";
import { type Column, Columns } from "./Columns";
import { DocsDrawer } from "./DocsDrawer";
import type { DocsPanelComponent, DocsPanelProps } from "./docsSlot";
import { type AppModel, useModeState, usePlayerView } from "./model";
import { pages, wholeWidthPages } from "./pages";
import { isBoolean, usePreference } from "./preferences";
import { navigate, useLocation } from "./router";
import { StepStrip } from "./StepStrip";
import { useShownRole } from "./shownRole";
import { TopBar } from "./TopBar";
import { twoColumnQuery, useMediaQuery, wideQuery } from "./useMediaQuery";

export interface AppProps {
  model: AppModel;
  /** The docs panel, shown beside the inspector when given. */
  docsPanel?: DocsPanelComponent;
}

/**
 * The workshop screen. On a wide screen: the shop, the inspector and the docs as three columns
 * that fill the window, each scrolling on its own, with handles to resize them. Narrower, the
 * docs become a drawer; on a phone, the inspector follows the shop and a strip at the bottom
 * keeps the latest step in sight. Projector mode trades panels for large type.
 */
export function App({ model, docsPanel: DocsPanel }: AppProps) {
  const location = useLocation();
  const store = model.stores[location.mode];
  const player = model.players[location.mode];
  const state = useModeState(store);
  const view = usePlayerView(player);
  const role = useShownRole(location.mode, state.user, model.tokens);
  // Without matchMedia (jsdom), the wide layout.
  const wide = useMediaQuery(wideQuery, true);
  const twoColumns = useMediaQuery(twoColumnQuery, true);
  const [projector, setProjector] = usePreference("projector", false, isBoolean);
  const [docsColumn, setDocsColumn] = usePreference("docsColumn", true, isBoolean);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const showStepsRequest = useReplayStarts(view.replaying);
  const wholeWidth = wholeWidthPages.has(location.page);

  useEffect(() => {
    if (!wholeWidth) void store.restore();
  }, [store, wholeWidth]);

  // Projector mode has room for the shop and the inspector only: the docs come as a drawer.
  const docsAsColumn = wide && !projector;
  const docsShown = DocsPanel !== undefined && (docsAsColumn ? docsColumn : drawerOpen);
  const toggleDocs = () => (docsAsColumn ? setDocsColumn(!docsColumn) : setDrawerOpen(!drawerOpen));
  const CurrentPage = pages[location.page];
  const docsProps: DocsPanelProps = {
    mode: location.mode,
    activeStep: view.current?.step ?? null,
    litSteps: Object.keys(view.steps) as WorkflowStep[],
    showStepsRequest,
  };

  const shop = (
    // Each column scrolls on its own, so each must take the focus to scroll with the keys.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region needs keyboard access
    <main id="main" className="column shop" tabIndex={0} key="shop">
      {state.notice && !wholeWidth && (
        <ErrorMessage
          error={state.notice}
          mode={store.mode}
          onDismiss={() => store.dismissNotice()}
        />
      )}
      <Suspense fallback={<p className="muted">Loading the page…</p>}>
        <CurrentPage store={store} state={state} model={model} />
      </Suspense>
    </main>
  );
  const inspector = (
    <aside
      id="inspector"
      className="column side"
      aria-label="Inspector"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region needs keyboard access
      tabIndex={0}
      key="inspector"
    >
      <Inspector
        store={store}
        state={state}
        tokens={model.tokens}
        player={player}
        projector={projector}
      />
    </aside>
  );
  const docs = DocsPanel && (
    <aside className="column docs-slot" aria-label="Docs" key="docs">
      {/* The panel itself may load on demand (main.tsx): the shop does not wait for it. */}
      <Suspense fallback={<p className="muted">Loading the docs…</p>}>
        <DocsPanel key={location.mode} {...docsProps} />
      </Suspense>
    </aside>
  );

  // On a phone the inspector follows the shop in the same list, below it.
  const columns: Column[] = [
    { label: "the shop", element: shop },
    { label: "the inspector", element: inspector },
  ];
  if (docs && docsAsColumn && docsShown) columns.push({ label: "the docs", element: docs });

  return (
    <div
      className={`app mode-${location.mode}${projector ? " projector" : ""}${
        wholeWidth ? " whole-width" : twoColumns ? " in-columns" : " stacked"
      }`}
    >
      <a href="#main" className="skip-link">
        Skip to the page
      </a>
      <TopBar
        location={location}
        state={state}
        role={role}
        onMode={(mode: AuthMode) => navigate({ ...location, mode })}
        onLogout={() => void store.logout()}
        docs={
          DocsPanel && !wholeWidth
            ? { shown: docsShown, drawer: !docsAsColumn, toggle: toggleDocs }
            : undefined
        }
        projector={{ on: projector, toggle: () => setProjector(!projector) }}
        wholeWidth={wholeWidth}
      />
      {wholeWidth ? (
        shop
      ) : (
        // One element in both layouts: crossing the breakpoint must not build the page again.
        <Columns
          columns={columns}
          stacked={!twoColumns}
          after={twoColumns ? null : <StepStrip mode={location.mode} view={view} />}
        />
      )}
      {docs && !wholeWidth && !docsAsColumn && docsShown && (
        <DocsDrawer onClose={() => setDrawerOpen(false)}>{docs}</DocsDrawer>
      )}
    </div>
  );
}

/** Counts the replays started, so the docs panel can go back to the steps' code for each. */
function useReplayStarts(replaying: boolean): number {
  const [starts, setStarts] = useState(0);
  const was = useRef(replaying);
  useEffect(() => {
    if (replaying && !was.current) setStarts((count) => count + 1);
    was.current = replaying;
  }, [replaying]);
  return starts;
}
