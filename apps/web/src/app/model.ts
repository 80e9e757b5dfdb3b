import type { AuthMode } from "@repo/contract";
import { useSyncExternalStore } from "react";
import { createJwtClient } from "../api/jwtClient";
import { createSessionClient } from "../api/sessionClient";
import { type TokenStorageKind, TokenStore } from "../api/tokenStore";
import { type ModeState, ModeStore } from "./modeStore";

/** Both modes, alive at once: toggling switches which one the page shows, never resets it. */
export interface AppModel {
  stores: Record<AuthMode, ModeStore>;
  /** The JWT client's token and where it lives: the one copy the inspector shows. */
  tokens: TokenStore;
}

export function createAppModel(deps: { fetch?: typeof fetch; storage?: Storage } = {}): AppModel {
  const tokens = TokenStore.fromSavedSetting(deps.storage ?? globalThis.localStorage);
  const fetchDep = deps.fetch ? { fetch: deps.fetch } : {};
  return {
    stores: {
      session: new ModeStore("session", (events) =>
        createSessionClient({ ...fetchDep, ...events }),
      ),
      jwt: new ModeStore("jwt", (events) =>
        createJwtClient({ ...fetchDep, ...events, tokenStore: tokens }),
      ),
    },
    tokens,
  };
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
