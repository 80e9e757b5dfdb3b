import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import type { ProxyOptions } from "vite";
import { defineConfig } from "vitest/config";
import { contentSecurityPolicyPlugin } from "./src/csp/plugin.ts";
import { isProductionBuild, parseAttackerOrigins } from "./src/csp/policy.ts";
import { docsChapters } from "./src/docs/build/plugin.ts";

// One origin for the browser: each API keeps its own prefix, so nothing is rewritten (docs/api.md).
const sessionApiUrl = process.env.SESSION_API_URL || "http://127.0.0.1:4001";
const jwtApiUrl = process.env.JWT_API_URL || "http://127.0.0.1:4002";
const proxy: Record<string, ProxyOptions> = {
  "/api/session": { target: sessionApiUrl, changeOrigin: false },
  "/api/jwt": { target: jwtApiUrl, changeOrigin: false },
};
const port = Number(process.env.PORT || 5173);
const host = "127.0.0.1";
// The repository's docs/, rendered to HTML at build time for the docs panel.
const docsDir = fileURLToPath(new URL("../../docs", import.meta.url));

export default defineConfig(({ mode }) => {
  // The labs' attacker site, which the Content-Security-Policy lets the labs page frame and
  // reach: by default in the dev server and the tests, never by default in a production build
  // (`vite build`, `vite preview`, NODE_ENV=production), which a workshop opts into by naming
  // the origins; `ATTACKER_ORIGINS=none` leaves them out anywhere (src/csp/policy.ts says why).
  const production = isProductionBuild(mode, process.env.NODE_ENV);
  const attackerOrigins = parseAttackerOrigins(process.env.ATTACKER_ORIGINS, { production });
  return {
    plugins: [react(), docsChapters({ docsDir }), contentSecurityPolicyPlugin({ attackerOrigins })],
    // The labs page reaches the attacker site at the origins the policy allows
    // (src/labs/attacker.ts).
    define: { __ATTACKER_ORIGINS__: JSON.stringify(attackerOrigins) },
    // cors: false. Vite's default CORS answers any localhost or 127.0.0.1 origin on any port,
    // before the proxy: the labs' attacker site on :5174 could then read this origin's answers.
    // The app needs no cross-origin reads at all, so none are allowed.
    server: { host, port, strictPort: true, proxy, cors: false },
    preview: { host, port, strictPort: true, proxy, cors: false },
    // The manifest says which chunks a first load needs (scripts/bundle-size.ts measures them).
    build: { sourcemap: false, manifest: true },
    test: {
      // Two at a time even on 2 CPUs (Vitest's default there is one): the browser files mostly
      // wait on servers and Chromium, so a component file runs beside them instead of after.
      maxWorkers: 2,
      projects: [
        {
          extends: true,
          test: {
            name: "components",
            environment: "jsdom",
            include: ["src/**/*.test.{ts,tsx}"],
            setupFiles: ["src/test-setup.ts"],
            restoreMocks: true,
            // Limits that only catch a hang: jsdom renders of whole chapters on a busy 2-core
            // machine take seconds, and each test may wait up to 15 s for a condition.
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
        {
          // Real backends, a built app and Chromium: slow, so long timeouts and one file at a time.
          test: {
            name: "browser",
            environment: "node",
            include: ["e2e/**/*.e2e.test.ts"],
            testTimeout: 120_000,
            hookTimeout: 240_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
