import { describe, expect, it } from "vitest";
import { alice, emptyCart, errorBody, fakeFetch, json, type SeenRequest } from "./fakeFetch";
import { createJwtClient } from "./jwtClient";
import { TokenStore, tokenStorageKey } from "./tokenStore";

const tokenAnswer = (accessToken: string) =>
  json(200, { user: alice, accessToken, tokenType: "Bearer", expiresIn: 900 });

/** A JWT server whose tokens are valid when listed in `valid`. */
function jwtServer(valid: Set<string>, refreshTo: string | null) {
  return fakeFetch((request: SeenRequest) => {
    if (request.url.endsWith("/auth/login")) {
      valid.add("token-1");
      return tokenAnswer("token-1");
    }
    if (request.url.endsWith("/auth/refresh")) {
      if (!refreshTo) return json(401, errorBody("unauthenticated"));
      valid.add(refreshTo);
      return tokenAnswer(refreshTo);
    }
    const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (!valid.has(token)) return json(401, errorBody("token_expired"));
    return json(200, emptyCart);
  });
}

const paths = (seen: SeenRequest[]) =>
  seen.map((r) => `${r.method} ${r.url.replace("/api/jwt", "")}`);

describe("JWT client", () => {
  it("sends Authorization: Bearer and no CSRF header", async () => {
    const { fetch, seen } = jwtServer(new Set(), "unused");
    const client = createJwtClient({ fetch, tokenStore: new TokenStore("memory", undefined) });
    await client.login("alice", "wonderland42");
    await client.addItem("tea-mug", 1);
    expect(seen[1]?.headers.authorization).toBe("Bearer token-1");
    expect(seen[1]?.headers["x-csrf-token"]).toBeUndefined();
  });

  it("refreshes exactly once on token_expired, then retries with the new token", async () => {
    const valid = new Set<string>();
    const { fetch, seen } = jwtServer(valid, "token-2");
    const client = createJwtClient({ fetch, tokenStore: new TokenStore("memory", undefined) });
    await client.login("alice", "wonderland42");
    valid.delete("token-1"); // it expires
    await expect(client.cart()).resolves.toEqual(emptyCart);
    expect(paths(seen)).toEqual([
      "POST /auth/login",
      "GET /cart",
      "POST /auth/refresh",
      "GET /cart",
    ]);
    expect(seen[3]?.headers.authorization).toBe("Bearer token-2");
    expect(client.currentToken()).toBe("token-2");
  });

  it("does not loop when the retried request is refused again", async () => {
    const { fetch, seen } = fakeFetch((request) => {
      if (request.url.endsWith("/auth/login")) return tokenAnswer("token-1");
      if (request.url.endsWith("/auth/refresh")) return tokenAnswer("token-2");
      return json(401, errorBody("token_expired")); // a server whose clock is far ahead
    });
    const client = createJwtClient({ fetch, tokenStore: new TokenStore("memory", undefined) });
    await client.login("alice", "wonderland42");
    await expect(client.cart()).rejects.toMatchObject({ code: "token_expired" });
    expect(paths(seen)).toEqual([
      "POST /auth/login",
      "GET /cart",
      "POST /auth/refresh",
      "GET /cart",
    ]);
  });

  it("shares one refresh between requests that expire together", async () => {
    const valid = new Set<string>();
    const { fetch, seen } = jwtServer(valid, "token-2");
    const client = createJwtClient({ fetch, tokenStore: new TokenStore("memory", undefined) });
    await client.login("alice", "wonderland42");
    valid.delete("token-1");
    await Promise.all([client.cart(), client.cart()]);
    expect(paths(seen).filter((p) => p === "POST /auth/refresh")).toHaveLength(1);
  });

  it("forgets the token and asks for a login when the refresh is refused", async () => {
    const valid = new Set<string>();
    const { fetch, seen } = jwtServer(valid, null);
    const steps: string[] = [];
    const client = createJwtClient({
      fetch,
      tokenStore: new TokenStore("memory", undefined),
      onClientStep: (step) => steps.push(step),
    });
    await client.login("alice", "wonderland42");
    valid.clear();
    await expect(client.cart()).rejects.toMatchObject({ status: 401, code: "token_expired" });
    expect(paths(seen)).toEqual(["POST /auth/login", "GET /cart", "POST /auth/refresh"]);
    expect(client.currentToken()).toBeNull();
    expect(steps).toEqual(["post_credentials", "store_token", "send_header", "clear_token"]);
  });

  it("restores after a reload from the refresh cookie when the token lived in memory", async () => {
    const { fetch, seen } = fakeFetch((request) =>
      request.url.endsWith("/auth/refresh") ? tokenAnswer("token-2") : json(200, { user: alice }),
    );
    const client = createJwtClient({ fetch, tokenStore: new TokenStore("memory", undefined) });
    await expect(client.restore()).resolves.toEqual(alice);
    expect(paths(seen)).toEqual(["POST /auth/refresh", "GET /auth/me"]);
    expect(seen[1]?.headers.authorization).toBe("Bearer token-2");
  });

  it("keeps the token in localStorage only when asked, and clears it at logout", async () => {
    const { fetch } = jwtServer(new Set(), "token-2");
    const client = createJwtClient({
      fetch,
      tokenStore: new TokenStore("localStorage", localStorage),
    });
    await client.login("alice", "wonderland42");
    expect(localStorage.getItem(tokenStorageKey)).toBe("token-1");
    client.setTokenStorage("memory");
    expect(localStorage.getItem(tokenStorageKey)).toBeNull();
    expect(client.currentToken()).toBe("token-1");
    client.setTokenStorage("localStorage");
    await client.logout();
    expect(localStorage.getItem(tokenStorageKey)).toBeNull();
    expect(client.currentToken()).toBeNull();
  });
});
