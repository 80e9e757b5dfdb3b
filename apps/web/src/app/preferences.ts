import { useCallback, useState } from "react";

/**
 * A setting of this browser's workshop screen (projector mode, column widths), remembered in
 * localStorage so a reload keeps the room's set-up. Nothing here is secret or per user.
 */
export function usePreference<T>(
  key: string,
  initial: T,
  valid: (value: unknown) => value is T,
): [T, (value: T) => void] {
  const storageKey = `session-vs-jwt.${key}`;
  const read = (): T => {
    try {
      const saved: unknown = JSON.parse(globalThis.localStorage?.getItem(storageKey) ?? "null");
      return valid(saved) ? saved : initial;
    } catch {
      return initial; // a garbled entry is as good as none
    }
  };
  // Kept with its key: when the key changes (two columns instead of three), the other
  // setting is read, not the old one's value carried over.
  const [state, setState] = useState(() => ({ key: storageKey, value: read() }));
  const value = state.key === storageKey ? state.value : read();
  const save = useCallback(
    (next: T) => {
      setState({ key: storageKey, value: next });
      globalThis.localStorage?.setItem(storageKey, JSON.stringify(next));
    },
    [storageKey],
  );
  return [value, save];
}

export const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
