import { type AuthMode, demoUsers } from "@repo/contract";
import { dataOf, type ModeStore } from "../app/modeStore";

/** One thing to do in a mode; the Compare page starts it in both modes at once. */
export interface CompareAction {
  id: string;
  label: string;
  /** Runs in one mode; a failure should show in that mode's column, not throw. */
  run(store: ModeStore): Promise<unknown>;
}

const alice = demoUsers.find((user) => user.username === "alice") ?? demoUsers[0];

/** The shop's own actions: log in, add to cart, log out (a reload is the page's own). */
export const shopCompareActions: readonly CompareAction[] = [
  {
    id: "login",
    label: `Log in as ${alice?.displayName ?? "a demo user"}`,
    run: (store) => store.login(alice?.username ?? "", alice?.password ?? ""),
  },
  {
    id: "add-to-cart",
    label: "Add to cart",
    run: async (store) => {
      await store.loadProducts();
      const first = dataOf(store.getState().products)?.[0];
      if (first) await store.addItem(first.id, 1);
    },
  },
  { id: "logout", label: "Log out", run: (store) => store.logout() },
];

// The seam for the labs: a lab that makes sense in both modes registers its action here (from
// its own module, once), and the Compare page offers it after the shop's own.
const labActions: CompareAction[] = [];

/** Adds a lab's action to the Compare page; an id already offered is replaced. */
export function registerCompareAction(action: CompareAction): void {
  const index = labActions.findIndex((known) => known.id === action.id);
  if (index >= 0) labActions[index] = action;
  else labActions.push(action);
}

export function compareActions(): readonly CompareAction[] {
  return [...shopCompareActions, ...labActions];
}

/** Runs an action in every mode at once, and waits for both. */
export function runInBoth(
  action: CompareAction,
  stores: Record<AuthMode, ModeStore>,
): Promise<unknown> {
  return Promise.all([action.run(stores.session), action.run(stores.jwt)]);
}
