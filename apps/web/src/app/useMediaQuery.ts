import { useSyncExternalStore } from "react";

/**
 * Whether a media query matches, kept current as the window is resized. Where the browser has
 * no `matchMedia` (jsdom), `fallback` answers.
 */
export function useMediaQuery(query: string, fallback: boolean): boolean {
  return useSyncExternalStore(
    (listener) => {
      const list = globalThis.matchMedia?.(query);
      list?.addEventListener("change", listener);
      return () => list?.removeEventListener("change", listener);
    },
    () => globalThis.matchMedia?.(query).matches ?? fallback,
  );
}

/** Three columns (shop, inspector, docs) from this width up; narrower, the docs are a drawer. */
export const wideQuery = "(min-width: 1280px)";
/** The shop and the inspector side by side from this width up; narrower, one column. */
export const twoColumnQuery = "(min-width: 768px)";
