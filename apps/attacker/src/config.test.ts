import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "./config";

describe("readConfig", () => {
  it("listens on 127.0.0.1:5174 and reports to the shop at http://127.0.0.1:5173 by default", () => {
    expect(readConfig({})).toEqual({
      port: 5174,
      host: "127.0.0.1",
      labOrigin: "http://127.0.0.1:5173",
    });
  });

  it("reads PORT and LAB_ORIGIN", () => {
    const config = readConfig({ PORT: "6174", LAB_ORIGIN: "https://shop.example" });
    expect(config).toMatchObject({ port: 6174, labOrigin: "https://shop.example" });
  });

  it("refuses a port that is not one, and a LAB_ORIGIN that is not exactly an origin", () => {
    for (const env of [
      { PORT: "http" },
      { PORT: "70000" },
      { LAB_ORIGIN: "127.0.0.1:5173" },
      { LAB_ORIGIN: "http://127.0.0.1:5173/" },
      { LAB_ORIGIN: "javascript:alert(1)" },
      { LAB_ORIGIN: "*" },
    ]) {
      expect(() => readConfig(env), JSON.stringify(env)).toThrow(ConfigError);
    }
  });
});
