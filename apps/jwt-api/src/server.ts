// The public entry of `@repo/jwt-api`: what a host needs to build and start this backend.
// `index.ts` starts it from here, and so does anything above the apps (the conformance suite);
// every other module in `src/` is internal and may change without notice.
export { type AppDeps, createApp } from "./app";
export { type JwtApiConfig, readConfig } from "./config";
export { openTokenState, type TokenStateHandle } from "./token-states";
