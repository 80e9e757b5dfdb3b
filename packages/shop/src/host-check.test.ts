import { describe, expect, it } from "vitest";
import { expectedHostNames, isExpectedHost } from "./host-check";

describe("isExpectedHost", () => {
  it("takes IP addresses and loopback names, and refuses other names unless configured", () => {
    for (const host of [
      "127.0.0.1",
      "[::1]",
      "192.0.2.7",
      "localhost",
      "LocalHost",
      "a.localhost",
    ]) {
      expect(isExpectedHost(host, []), host).toBe(true);
    }
    for (const host of ["evil.example", "localhost.evil.example", "127.0.0.1.nip.io"]) {
      expect(isExpectedHost(host, []), host).toBe(false);
    }
    expect(isExpectedHost("Shop.Workshop.Lan", ["shop.workshop.lan"])).toBe(true);
  });
});

describe("expectedHostNames", () => {
  it("names HOST when it is a name, and every trusted origin's host", () => {
    expect(
      expectedHostNames({
        host: "Classroom.local",
        trustedOrigins: ["https://shop.example", "http://192.0.2.7:5173"],
      }),
    ).toEqual(["classroom.local", "shop.example", "192.0.2.7"]);
    expect(expectedHostNames({ host: "0.0.0.0", trustedOrigins: [] })).toEqual([]);
  });
});
