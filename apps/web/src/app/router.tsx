import { type AuthMode, authModes } from "@repo/contract";
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

/** The pages of the shop; the mode rides along in `?mode=`, so a link reopens the same mode. */
export type Page =
  | "products"
  | "cart"
  | "login"
  | "signup"
  | "account"
  | "staff"
  | "compare"
  | "labs";

const pagePaths: Record<Page, string> = {
  products: "/",
  cart: "/cart",
  login: "/login",
  signup: "/signup",
  account: "/account",
  staff: "/staff",
  compare: "/compare",
  labs: "/labs",
};
const navigationEvent = "app:navigate";

export interface AppLocation {
  page: Page;
  mode: AuthMode;
}

export function parseLocation(pathname: string, search: string): AppLocation {
  const page = (Object.keys(pagePaths) as Page[]).find((name) => pagePaths[name] === pathname);
  const modeParam = new URLSearchParams(search).get("mode");
  const mode = authModes.find((name) => name === modeParam) ?? "session";
  return { page: page ?? "products", mode };
}

function hrefFor(location: AppLocation): string {
  return `${pagePaths[location.page]}?mode=${location.mode}`;
}

/** Changes the URL without a page load; listeners re-render from it. */
export function navigate(location: AppLocation, options: { replace?: boolean } = {}): void {
  const href = hrefFor(location);
  if (options.replace) window.history.replaceState(null, "", href);
  else window.history.pushState(null, "", href);
  window.dispatchEvent(new Event(navigationEvent));
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("popstate", listener);
  window.addEventListener(navigationEvent, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(navigationEvent, listener);
  };
}

const currentHref = () => window.location.pathname + window.location.search;

export function useLocation(): AppLocation {
  const href = useSyncExternalStore(subscribe, currentHref);
  const url = new URL(href, "http://local");
  return parseLocation(url.pathname, url.search);
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: AppLocation };

/** An ordinary link (it opens in a new tab, copies, etc.), navigated client-side on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={hrefFor(to)} onClick={handleClick} {...rest} />;
}
