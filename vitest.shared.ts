import { defineConfig } from "vitest/config";

/**
 * The Vitest settings every Node package shares. The timeouts only catch hangs: `npm test`
 * runs every package's suite at once, and on a busy 2-core machine one OWASP-cost scrypt
 * hash alone can take seconds. Speed targets belong in `npm run bench`, never here.
 */
export const nodeTestConfig = defineConfig({
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
