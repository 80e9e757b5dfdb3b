import { registerCompareAction } from "../compare/compareActions";
import { attackerSite } from "./attacker";
import { labs } from "./registry";

// The labs whose modes can run apart, offered on the Compare page: each mode's requests land in
// its own column's inspector. Registered when this module loads (the Labs page imports it; so
// may the Compare page).
//
// The Compare page starts an action in both modes at once, but a lab's two halves must take
// turns: each logout clears every cookie of this site (Clear-Site-Data), the other mode's
// refresh or session cookie included, which would fail the other half for the wrong reason.
let turn: Promise<unknown> = Promise.resolve();

for (const lab of labs) {
  const { runInMode } = lab;
  if (!runInMode) continue;
  registerCompareAction({
    id: `lab-${lab.id}`,
    label: `Lab: ${lab.title}`,
    run: (store) => {
      const mine = turn.then(() =>
        runInMode(store.mode, {
          sink: (mode, record) => {
            if (mode === store.mode) store.logRequest(record);
          },
          attacker: attackerSite(window.location),
        }),
      );
      turn = mine.catch(() => undefined);
      return mine;
    },
  });
}
