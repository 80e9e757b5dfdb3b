import { describe, expect, it } from "vitest";
import { startupWarnings } from "./serve";

const config = { isProduction: true, demoMode: false, trustProxy: 1 } as const;

describe("startupWarnings", () => {
  it("says nothing for production behind a trusted proxy without demo mode", () => {
    expect(startupWarnings("jwt-api", { ...config }, "refresh_token")).toEqual([]);
  });

  it("says loudly what DEMO_MODE=1 exposes in production, to everyone the proxy lets in", () => {
    const [warning] = startupWarnings("jwt-api", { ...config, demoMode: true }, "refresh_token");
    expect(warning).toMatch(/^jwt-api: WARNING: DEMO_MODE=1 in production/);
    for (const exposed of ["X-Auth-Trace", "/demo/state", "usernames", "user ids", "roles"]) {
      expect(warning).toContain(exposed);
    }
    expect(warning).toMatch(/reverse proxy/);
  });

  it("warns that Secure cookies need TRUST_PROXY behind an HTTPS proxy", () => {
    const warnings = startupWarnings("session-api", { ...config, trustProxy: undefined }, "sid");
    expect(warnings).toEqual([expect.stringMatching(/sid cookie Secure.+TRUST_PROXY/)]);
  });
});
