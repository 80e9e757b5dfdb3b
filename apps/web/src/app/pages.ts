import { type ComponentType, lazy } from "react";
import { CartPage } from "../shop/CartPage";
import { LoginPage } from "../shop/LoginPage";
import { ProductsPage } from "../shop/ProductsPage";
import type { AppModel } from "./model";
import type { ModeState, ModeStore } from "./modeStore";
import type { Page } from "./router";

/** What every page is given: the mode on screen, and what it holds right now. */
export interface PageProps {
  store: ModeStore;
  state: ModeState;
  /** Both modes at once, for a page that shows them side by side (compare). */
  model: AppModel;
}

/**
 * The component of each page of `router.tsx`. The shop's pages are the first view, so they come
 * with the app; a page few visitors open can load on demand instead, with
 * `lazy(() => import("../x/XPage").then((m) => ({ default: m.XPage })))`, and App shows a
 * placeholder until it has arrived.
 */
export const pages: Record<Page, ComponentType<PageProps>> = {
  products: ProductsPage,
  cart: CartPage,
  login: LoginPage,
  signup: lazy(() => import("../account/SignupPage").then((m) => ({ default: m.SignupPage }))),
  account: lazy(() => import("../account/AccountPage").then((m) => ({ default: m.AccountPage }))),
  staff: lazy(() => import("../staff/StaffPage").then((m) => ({ default: m.StaffPage }))),
  compare: lazy(() => import("../compare/ComparePage").then((m) => ({ default: m.ComparePage }))),
  labs: lazy(() => import("../labs/LabsPage").then((m) => ({ default: m.LabsPage }))),
};

/**
 * Pages that bring their own inspectors and take the whole width: App shows them without the
 * one-mode inspector and docs columns beside them.
 */
export const wholeWidthPages: ReadonlySet<Page> = new Set<Page>(["compare"]);
