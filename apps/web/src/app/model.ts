import type { AuthMode } from "@repo/contract";
import { useSyncExternalStore } from "react";
import { createJwtClient } from "../api/jwtClient";
import { createSessionClient } from "../api/sessionClient";
import { type TokenStorageKind, TokenStore } from "../api/tokenStore";
import { type ModeState, ModeStore } from "./modeStore";
import { defaultTiming, type PlayerTiming, type PlayerView, StepPlayer } from "./stepPlayer";

/** Both modes, alive at once: toggling switches which one the page shows, never resets it. */
export interface AppModel {
  stores: Record<AuthMode, ModeStore>;
  /** Each mode's lit steps, shown one at a time and replayed on request. */
  players: Record<AuthMode, StepPlayer>;
  /** The JWT client's token and where it lives: the one copy the inspector shows. */
  tokens: TokenStore;
}

export function createAppModel(
  deps: { fetch?: typeof fetch; storage?: Storage; timing?: PlayerTiming } = {},
): AppModel {
  const tokens = TokenStore.fromSavedSetting(deps.storage ?? globalThis.localStorage);
  const fetchDep = deps.fetch ? { fetch: deps.fetch } : {};
  const stores = {
    session: new ModeStore("session", (events) => createSessionClient({ ...fetchDep, ...events })),
    jwt: new ModeStore("jwt", (events) =>
      createJwtClient({ ...fetchDep, ...events, tokenStore: tokens }),
    ),
  };
  const timing = deps.timing ?? defaultTiming;
  return {
    stores,
    players: {
      session: new StepPlayer(stores.session, timing),
      jwt: new StepPlayer(stores.jwt, timing),
    },
    tokens,
  };
}

export function usePlayerView(player: StepPlayer): PlayerView {
  return useSyncExternalStore(player.subscribe, player.getView);
}

export function useModeState(store: ModeStore): ModeState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

/** The access token the JWT client holds, and where it keeps it. */
export function useTokens(tokens: TokenStore): { token: string | null; kind: TokenStorageKind } {
  const token = useSyncExternalStore(tokens.subscribe, tokens.get);
  const kind = useSyncExternalStore(tokens.subscribe, tokens.getKind);
  return { token, kind };
}
