import { type LabId, labIds } from "./lab";

// Which labs this browser has run, for a workshop's progress: kept in localStorage, so it
// survives reloads and closing the tab, and belongs to this browser only (nothing is sent).

export const checklistKey = "session-vs-jwt.labs.done";

/** When each lab last ran here (ISO time), by id. */
export type Checklist = Partial<Record<LabId, string>>;

export function readChecklist(storage: Storage | undefined = globalThis.localStorage): Checklist {
  try {
    const saved: unknown = JSON.parse(storage?.getItem(checklistKey) ?? "{}");
    if (typeof saved !== "object" || saved === null) return {};
    const entries = Object.entries(saved).filter(
      (entry): entry is [LabId, string] =>
        labIds.some((id) => id === entry[0]) && typeof entry[1] === "string",
    );
    return Object.fromEntries(entries);
  } catch {
    return {}; // a garbled entry is as good as none
  }
}

/** Marks `id` as run now, and returns the new list. */
export function markRun(
  id: LabId,
  at: Date,
  storage: Storage | undefined = globalThis.localStorage,
): Checklist {
  const next = { ...readChecklist(storage), [id]: at.toISOString() };
  storage?.setItem(checklistKey, JSON.stringify(next));
  return next;
}

export function clearChecklist(storage: Storage | undefined = globalThis.localStorage): Checklist {
  storage?.removeItem(checklistKey);
  return {};
}
