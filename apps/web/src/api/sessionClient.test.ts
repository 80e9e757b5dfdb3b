import { describe, expect, it, vi } from "vitest";
import type { RequestRecord } from "./client";
import { alice, emptyCart, errorBody, fakeFetch, json, withTrace } from "./fakeFetch";
import { createSessionClient } from "./sessionClient";

function loggedInServer() {
  return fakeFetch((request) => {
    if (request.url.endsWith("/auth/login"))
      return json(200, { user: alice, csrfToken: "csrf-123456789" });
    return json(200, emptyCart);
  });
}

describe("session client", () => {
  it("lets the browser send its cookies and adds the CSRF header only on unsafe requests", async () => {
    const { fetch, seen } = loggedInServer();
    const client = createSessionClient({ fetch });
    await client.login("alice", "wonderland42");
    await client.cart();
    await client.addItem("tea-mug", 2);

    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /api/session/auth/login",
      "GET /api/session/cart",
      "POST /api/session/cart/items",
    ]);
    expect(seen.every((r) => r.credentials === "same-origin")).toBe(true);
    expect(seen[1]?.headers["x-csrf-token"]).toBeUndefined();
    expect(seen[2]?.headers["x-csrf-token"]).toBe("csrf-123456789");
    expect(seen[2]?.body).toEqual({ productId: "tea-mug", quantity: 2 });
    expect(seen.some((r) => "authorization" in r.headers)).toBe(false);
  });

  it("lights the cookie step only for requests that prove who is asking, not the products", async () => {
    const { fetch } = fakeFetch((request) => {
      if (request.url.endsWith("/auth/login"))
        return json(200, { user: alice, csrfToken: "csrf-123456789" });
      if (request.url.endsWith("/products")) return json(200, { products: [] });
      return json(200, emptyCart);
    });
    const steps: string[] = [];
    const client = createSessionClient({ fetch, onClientStep: (step) => steps.push(step) });
    await client.login("alice", "wonderland42");
    steps.length = 0;
    await client.products();
    expect(steps).toEqual([]);
    await client.cart();
    expect(steps).toEqual(["send_cookie"]);
  });

  it("gets its CSRF token back from /auth/me after a reload", async () => {
    const { fetch, seen } = fakeFetch((request) =>
      request.url.endsWith("/auth/me")
        ? json(200, { user: alice, csrfToken: "from-me-token" })
        : json(200, emptyCart),
    );
    const client = createSessionClient({ fetch });
    expect(await client.restore()).toEqual(alice);
    await client.removeItem("tea-mug");
    expect(seen[1]?.method).toBe("DELETE");
    expect(seen[1]?.headers["x-csrf-token"]).toBe("from-me-token");
  });

  it("reads nobody from a 401 on /auth/me", async () => {
    const { fetch } = fakeFetch(() => json(401, errorBody("unauthenticated")));
    expect(await createSessionClient({ fetch }).restore()).toBeNull();
  });

  it("reports each exchange with its status, trace and a cookie it cannot read", async () => {
    const records: RequestRecord[] = [];
    const { fetch } = fakeFetch(() =>
      withTrace(json(200, { user: alice, csrfToken: "csrf-123456789" }), [
        { step: "verify_password", action: "password checked", outcome: "ok" },
      ]),
    );
    const client = createSessionClient({ fetch, onExchange: (r) => records.push(r) });
    await client.login("alice", "wonderland42");
    await client.restore();
    expect(records[0]).toMatchObject({
      method: "POST",
      path: "/api/session/auth/login",
      status: 200,
    });
    expect(records[0]?.trace).toEqual([
      { step: "verify_password", action: "password checked", outcome: "ok" },
    ]);
    expect(records[1]?.identity).toEqual({
      kind: "cookie",
      text: "sid cookie sent automatically (HttpOnly, invisible to JavaScript)",
    });
  });

  it("names the cookie the server says it read, shortened, since JavaScript cannot", async () => {
    const records: RequestRecord[] = [];
    const { fetch } = fakeFetch(() =>
      withTrace(json(200, { user: alice, csrfToken: "t" }), [
        {
          step: "send_cookie",
          action: "sid cookie read from the Cookie header",
          outcome: "ok",
          detail: "s:9MDUS2…",
        },
      ]),
    );
    await createSessionClient({ fetch, onExchange: (r) => records.push(r) }).restore();
    expect(records[0]?.identity.text).toBe(
      "Cookie: sid=s:9MDUS2…, sent automatically (HttpOnly, invisible to JavaScript)",
    );
  });

  it("forgets its CSRF token once the server no longer knows the session", async () => {
    let known = true;
    const { fetch, seen } = fakeFetch((request) => {
      if (request.url.endsWith("/auth/login"))
        return json(200, { user: alice, csrfToken: "csrf-1" });
      return known ? json(200, emptyCart) : json(401, errorBody("unauthenticated"));
    });
    const records: RequestRecord[] = [];
    const client = createSessionClient({ fetch, onExchange: (r) => records.push(r) });
    await client.login("alice", "wonderland42");
    known = false; // the session expired on the server
    await expect(client.cart()).rejects.toMatchObject({ status: 401 });
    await client.addItem("tea-mug", 1).catch(() => undefined);
    expect(seen.at(-1)?.headers["x-csrf-token"]).toBeUndefined();
    expect(records.at(-1)?.identity.kind).toBe("none");
  });

  it("turns errors into ApiErrors: 429 with Retry-After, a proxy 502, a network failure", async () => {
    const answers = [
      () => json(429, errorBody("rate_limited", "Too many"), { "retry-after": "30" }),
      () => new Response("", { status: 502 }),
      () => Promise.reject(new TypeError("Failed to fetch")),
    ];
    const { fetch } = fakeFetch(() => (answers.shift() ?? answers[0])?.() as Response);
    const client = createSessionClient({ fetch });
    vi.useFakeTimers({ now: 1_000_000, toFake: ["Date"] });
    await expect(client.login("alice", "x")).rejects.toMatchObject({
      status: 429,
      code: "rate_limited",
      retryAtMs: 1_030_000, // the moment itself, so a late render still counts right
    });
    vi.useRealTimers();
    await expect(client.products()).rejects.toMatchObject({ status: 502, code: "backend_down" });
    await expect(client.products()).rejects.toMatchObject({ status: 0, code: "backend_down" });
  });
});
