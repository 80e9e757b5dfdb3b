import type { AuthMode } from "@repo/contract";
import { useSyncExternalStore } from "react";
import { createJwtClient, type JwtApiClient } from "../api/jwtClient";
import { createSessionClient } from "../api/sessionClient";
import { type TokenStorageKind, TokenStore } from "../api/tokenStore";
import { type ModeState, ModeStore } from "./modeStore";

/** Both modes, alive at once: toggling switches which one the page shows, never resets it. */
export interface AppModel {
  stores: Record<AuthMode, ModeStore>;
  jwtClient: JwtApiClient;
  setTokenStorage(kind: TokenStorageKind): void;
}

const tokenStorageSettingKey = "session-vs-jwt.tokenStorage";

export function createAppModel(deps: { fetch?: typeof fetch; storage?: Storage } = {}): AppModel {
  const storage = deps.storage ?? globalThis.localStorage;
  const savedKind = storage?.getItem(tokenStorageSettingKey);
  // Memory by default: it keeps the token out of storage and drops it with the tab. It is not an
  // XSS defence, since a script on the page can still ask /auth/refresh for a fresh token.
  const kind: TokenStorageKind = savedKind === "localStorage" ? "localStorage" : "memory";
  const fetchDep = deps.fetch ? { fetch: deps.fetch } : {};

  const session = new ModeStore("session", (events) =>
    createSessionClient({ ...fetchDep, ...events }),
  );
  let jwtClient: JwtApiClient | undefined;
  const jwt = new ModeStore("jwt", (events) => {
    jwtClient = createJwtClient({
      ...fetchDep,
      ...events,
      tokenStore: new TokenStore(kind, storage),
    });
    return jwtClient;
  });
  if (!jwtClient) throw new Error("the JWT store did not build its client");
  const client = jwtClient;

  return {
    stores: { session, jwt },
    jwtClient: client,
    setTokenStorage(next) {
      client.setTokenStorage(next);
      storage?.setItem(tokenStorageSettingKey, next);
      jwt.touch();
    },
  };
}

export function useModeState(store: ModeStore): ModeState {
  return useSyncExternalStore(store.subscribe, store.getState);
}
