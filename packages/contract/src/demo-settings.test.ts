import { describe, expect, it } from "vitest";
import { jwtDemoSettingsChangeSchema, sessionDemoSettingsChangeSchema } from "./demo-settings";

describe("demo settings changes", () => {
  it("accept any JWT setting in range, alone or together", () => {
    for (const change of [
      { accessTokenTtlSeconds: 5 },
      { accessTokenTtlSeconds: 86_400 },
      { denylist: true },
      { userCutoff: true },
      { accessTokenTtlSeconds: 30, denylist: false },
    ]) {
      expect(jwtDemoSettingsChangeSchema.safeParse(change).success).toBe(true);
    }
  });

  it("refuse a lifetime out of range or not a whole number, a non-boolean flag, and any other key", () => {
    const bad = [
      {},
      { accessTokenTtlSeconds: -1 },
      { accessTokenTtlSeconds: 0 },
      { accessTokenTtlSeconds: 4 },
      { accessTokenTtlSeconds: 86_401 },
      { accessTokenTtlSeconds: 1.5 },
      { accessTokenTtlSeconds: "30" },
      { denylist: "true" },
      { denylist: 1 },
      { denylist: true, algorithm: "none" },
      JSON.parse('{"denylist":true,"__proto__":{"admin":true}}'),
      null,
      [],
    ];
    for (const change of bad) {
      expect(jwtDemoSettingsChangeSchema.safeParse(change).success, JSON.stringify(change)).toBe(
        false,
      );
    }
  });

  it("accept a known session store and refuse an unknown one, a string of another type, or nothing", () => {
    expect(sessionDemoSettingsChangeSchema.safeParse({ sessionStore: "memory" }).success).toBe(
      true,
    );
    for (const change of [{}, { sessionStore: "mongo" }, { sessionStore: 1 }, { idle: 5 }]) {
      expect(sessionDemoSettingsChangeSchema.safeParse(change).success).toBe(false);
    }
  });
});
