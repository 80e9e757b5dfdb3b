// The public entry of `@repo/session-api`: what a host needs to build and start this backend.
// `index.ts` starts it from here, and so does anything above the apps (the conformance suite);
// every other module in `src/` is internal and may change without notice.
export { type AppDeps, createApp } from "./app";
export { readConfig, type SessionApiConfig } from "./config";
export { openSessionStore, type SessionStoreHandle } from "./session-stores";
export {
  openSwitchableSessionStore,
  type SwitchableSessionStore,
} from "./switchable-session-store";
