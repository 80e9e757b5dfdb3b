import { afterEach, describe, expect, it } from "vitest";
import type { RequestRecord } from "./client";
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

const memoryStore = () => new TokenStore("memory", undefined);

afterEach(() => {
  localStorage.clear();
  Reflect.deleteProperty(navigator, "locks");
});

describe("JWT client", () => {
  it("sends Authorization: Bearer and no CSRF header", async () => {
    const { fetch, seen } = jwtServer(new Set(), "unused");
    const client = createJwtClient({ fetch, tokenStore: memoryStore() });
    await client.login("alice", "wonderland42");
    await client.addItem("tea-mug", 1);
    expect(seen[1]?.headers.authorization).toBe("Bearer token-1");
    expect(seen[1]?.headers["x-csrf-token"]).toBeUndefined();
  });

  it("asks for the demo state with the token it holds, which alone shows this user's rows", async () => {
    const state = { mode: "jwt", store: "sqlite", algorithm: "HS256", accessTokensKept: 0 };
    const kept = { refreshTokens: [], otherRefreshTokens: 1, denylist: [] };
    const answer = { ...state, denylistEnabled: false, ...kept };
    const { fetch, seen } = fakeFetch((request) =>
      request.url.endsWith("/auth/login") ? tokenAnswer("token-1") : json(200, answer),
    );
    const client = createJwtClient({ fetch, tokenStore: memoryStore() });
    await client.demoState();
    expect(seen[0]?.headers.authorization).toBeUndefined();
    await client.login("alice", "wonderland42");
    await client.demoState();
    expect(seen[2]?.headers.authorization).toBe("Bearer token-1");
  });

  it("refreshes exactly once on token_expired, then retries with the new token", async () => {
    const valid = new Set<string>();
    const { fetch, seen } = jwtServer(valid, "token-2");
    const tokens = memoryStore();
    const steps: string[] = [];
    const client = createJwtClient({
      fetch,
      tokenStore: tokens,
      onClientStep: (s) => steps.push(s),
    });
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
    expect(tokens.get()).toBe("token-2");
    // One send_header per request that carried the token: the first try and the retry.
    expect(steps).toEqual([
      "post_credentials",
      "store_token",
      "send_header",
      "store_token",
      "send_header",
    ]);
  });

  it("does not loop when the retried request is refused again, and forgets the token", async () => {
    const { fetch, seen } = fakeFetch((request) => {
      if (request.url.endsWith("/auth/login")) return tokenAnswer("token-1");
      if (request.url.endsWith("/auth/refresh")) return tokenAnswer("token-2");
      return json(401, errorBody("token_expired")); // a server whose clock is far ahead
    });
    const tokens = memoryStore();
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await client.login("alice", "wonderland42");
    await expect(client.cart()).rejects.toMatchObject({ code: "token_expired" });
    expect(paths(seen)).toEqual([
      "POST /auth/login",
      "GET /cart",
      "POST /auth/refresh",
      "GET /cart",
    ]);
    expect(tokens.get()).toBeNull();
  });

  it("shares one refresh between requests that expire together", async () => {
    const valid = new Set<string>();
    const { fetch, seen } = jwtServer(valid, "token-2");
    const client = createJwtClient({ fetch, tokenStore: memoryStore() });
    await client.login("alice", "wonderland42");
    valid.delete("token-1");
    await Promise.all([client.cart(), client.cart()]);
    expect(paths(seen).filter((p) => p === "POST /auth/refresh")).toHaveLength(1);
  });

  it("retries a late token_expired with the token another request already refreshed", async () => {
    const valid = new Set<string>(["token-1"]);
    let releaseSlow: () => void = () => undefined;
    const slowAnswer = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let refreshes = 0;
    const { fetch, seen } = fakeFetch(async (request) => {
      if (request.url.endsWith("/auth/login")) return tokenAnswer("token-1");
      if (request.url.endsWith("/auth/refresh")) {
        refreshes += 1;
        valid.add(`token-${refreshes + 1}`);
        return tokenAnswer(`token-${refreshes + 1}`);
      }
      const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
      if (request.url.endsWith("/products")) await slowAnswer; // on its way while others refresh
      if (!valid.has(token)) return json(401, errorBody("token_expired"));
      return json(200, request.url.endsWith("/products") ? { products: [] } : emptyCart);
    });
    const tokens = memoryStore();
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await client.login("alice", "wonderland42");
    const slow = client.products(); // sent with token-1
    valid.delete("token-1");
    await client.cart(); // expires, refreshes to token-2, retries
    releaseSlow(); // the slow request now comes back token_expired
    await expect(slow).resolves.toEqual([]);
    expect(refreshes).toBe(1);
    expect(paths(seen).at(-1)).toBe("GET /products");
    expect(seen.at(-1)?.headers.authorization).toBe("Bearer token-2");
    expect(tokens.get()).toBe("token-2");
  });

  it("refreshes under a Web Lock and uses the token another tab stored meanwhile", async () => {
    const valid = new Set<string>();
    const { fetch, seen } = jwtServer(valid, "token-from-this-tab");
    const lockNames: string[] = [];
    Object.defineProperty(navigator, "locks", {
      configurable: true,
      value: {
        request: async (name: string, callback: () => Promise<unknown>) => {
          lockNames.push(name);
          // Another tab held the lock, refreshed, and left its token in localStorage.
          valid.add("token-from-other-tab");
          localStorage.setItem(tokenStorageKey, "token-from-other-tab");
          return callback();
        },
      },
    });
    const tokens = new TokenStore("localStorage", localStorage);
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await client.login("alice", "wonderland42");
    valid.delete("token-1");
    await expect(client.cart()).resolves.toEqual(emptyCart);
    expect(lockNames).toHaveLength(1);
    expect(paths(seen)).not.toContain("POST /auth/refresh");
    expect(seen.at(-1)?.headers.authorization).toBe("Bearer token-from-other-tab");
    expect(tokens.get()).toBe("token-from-other-tab");
  });

  it("ends the login with its own code when the refresh is refused, and stops sending the token", async () => {
    const valid = new Set<string>();
    const { fetch, seen } = jwtServer(valid, null);
    const steps: string[] = [];
    const tokens = new TokenStore("localStorage", localStorage);
    const client = createJwtClient({
      fetch,
      tokenStore: tokens,
      onClientStep: (step) => steps.push(step),
    });
    await client.login("alice", "wonderland42");
    valid.clear();
    await expect(client.cart()).rejects.toMatchObject({ status: 401, code: "login_ended" });
    expect(paths(seen)).toEqual(["POST /auth/login", "GET /cart", "POST /auth/refresh"]);
    expect(tokens.get()).toBeNull();
    expect(localStorage.getItem(tokenStorageKey)).toBeNull();
    expect(steps).toEqual(["post_credentials", "store_token", "send_header", "clear_token"]);
    await client.products().catch(() => undefined);
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("forgets a token the server refuses outright (revoked), not only an expired one", async () => {
    const { fetch } = fakeFetch((request) =>
      request.url.endsWith("/auth/login")
        ? tokenAnswer("token-1")
        : json(401, errorBody("unauthenticated")),
    );
    const tokens = memoryStore();
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await client.login("alice", "wonderland42");
    await expect(client.cart()).rejects.toMatchObject({ code: "unauthenticated" });
    expect(tokens.get()).toBeNull();
  });

  it("restores after a reload from the refresh cookie alone: its answer names the user", async () => {
    const { fetch, seen } = fakeFetch((request) =>
      request.url.endsWith("/auth/refresh") ? tokenAnswer("token-2") : json(200, { user: alice }),
    );
    const tokens = memoryStore();
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await expect(client.restore()).resolves.toEqual(alice);
    expect(paths(seen)).toEqual(["POST /auth/refresh"]);
    expect(tokens.get()).toBe("token-2");
  });

  it("tells two tokens apart in the request log by their signature", async () => {
    const records: RequestRecord[] = [];
    let issued = 0;
    const { fetch } = fakeFetch((request) => {
      if (request.url.endsWith("/auth/login")) {
        issued += 1;
        const signature = issued === 1 ? "k3Jd8sQaWq0" : "Zp4x7TnLm2c";
        return tokenAnswer(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.${signature}`);
      }
      return json(200, emptyCart);
    });
    const client = createJwtClient({
      fetch,
      tokenStore: memoryStore(),
      onExchange: (r) => records.push(r),
    });
    for (const _ of [1, 2]) {
      await client.login("alice", "wonderland42");
      await client.cart();
    }
    const labels = records.filter((r) => r.identity.kind === "bearer").map((r) => r.identity.text);
    expect(labels).toHaveLength(2);
    expect(labels[0]).not.toBe(labels[1]);
    expect(labels[0]).not.toContain("eyJhbGciOi");
  });

  it("keeps the token in localStorage only when asked, and clears it at logout", async () => {
    const { fetch } = jwtServer(new Set(), "token-2");
    const tokens = new TokenStore("localStorage", localStorage);
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await client.login("alice", "wonderland42");
    expect(localStorage.getItem(tokenStorageKey)).toBe("token-1");
    tokens.setKind("memory");
    expect(localStorage.getItem(tokenStorageKey)).toBeNull();
    expect(tokens.get()).toBe("token-1");
    tokens.setKind("localStorage");
    await client.logout();
    expect(localStorage.getItem(tokenStorageKey)).toBeNull();
    expect(tokens.get()).toBeNull();
  });

  it("remembers the storage choice for the next page load", () => {
    TokenStore.fromSavedSetting(localStorage).setKind("localStorage");
    expect(TokenStore.fromSavedSetting(localStorage).getKind()).toBe("localStorage");
    localStorage.clear();
    expect(TokenStore.fromSavedSetting(localStorage).getKind()).toBe("memory");
  });
});
