import { lazy, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { createAppModel } from "./app/model";
import "./styles.css";

// The docs panel and its chapters load after the shop: the first paint never waits for them.
const DocsPanel = lazy(() => import("./docs/DocsPanel").then((m) => ({ default: m.DocsPanel })));

const root = document.getElementById("root");
if (!root) throw new Error("index.html lost its #root element");

// Both modes are created once and live side by side, so toggling keeps each one's login.
const model = createAppModel();
createRoot(root).render(
  <StrictMode>
    <App model={model} docsPanel={DocsPanel} />
  </StrictMode>,
);
