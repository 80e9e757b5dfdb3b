import { describe, expect, it } from "vitest";
import { CookieJar } from "./cookie-jar";

describe("CookieJar", () => {
  it("sends a cookie only under its Path, so /api/session's cookie never reaches /api/jwt", () => {
    const jar = new CookieJar();
    jar.store("/api/session/auth/login", ["sid=abc; Path=/api/session; HttpOnly; SameSite=Lax"]);
    jar.store("/api/jwt/auth/login", ["refresh_token=xyz; Path=/api/jwt/auth; HttpOnly"]);
    expect(jar.header("/api/session/cart")).toBe("sid=abc");
    expect(jar.header("/api/jwt/cart")).toBeUndefined();
    expect(jar.header("/api/jwt/auth/refresh")).toBe("refresh_token=xyz");
    expect(jar.header("/api/sessionx")).toBeUndefined();
  });

  it("drops a cookie the server clears or lets expire", () => {
    const clock = { nowMs: 1_000_000 };
    const jar = new CookieJar(() => clock.nowMs);
    jar.store("/api/session/auth/login", ["sid=abc; Path=/api/session; Max-Age=60"]);
    clock.nowMs += 61_000;
    expect(jar.header("/api/session/cart")).toBeUndefined();
    jar.store("/api/session/auth/login", ["sid=def; Path=/api/session"]);
    jar.store("/api/session/auth/logout", [
      "sid=; Path=/api/session; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ]);
    expect(jar.header("/api/session/cart")).toBeUndefined();
  });
});
