import { describe, expect, it } from "vitest";
import { ApiError } from "./client";
import { alice, emptyCart, errorBody, fakeFetch, json, type SeenRequest } from "./fakeFetch";
import { createJwtClient } from "./jwtClient";
import { createSessionClient } from "./sessionClient";
import { TokenStore } from "./tokenStore";

const staffRow = { ...alice, id: "u2", username: "bob", displayName: "Bob", disabled: false };
const sessionAnswer = (csrfToken: string) => json(200, { user: alice, csrfToken });
const tokenAnswer = (accessToken: string) =>
  json(200, { user: alice, accessToken, tokenType: "Bearer", expiresIn: 900 });
const pathOf = (request: SeenRequest) => request.url.replace(/^\/api\/(session|jwt)/, "");

/** Fails with the error the call threw, or with a note that it threw nothing. */
async function errorOf(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("session client: accounts", () => {
  it("signs up with the three fields and keeps the new session's CSRF token", async () => {
    const { fetch, seen } = fakeFetch((request) =>
      pathOf(request) === "/auth/signup" ? sessionAnswer("csrf-new-user") : json(200, emptyCart),
    );
    const client = createSessionClient({ fetch });
    const account = { username: "carol", displayName: "Carol", password: "a long passphrase" };
    expect(await client.signup(account)).toEqual(alice);
    await client.addItem("tea-mug", 1);
    expect(seen[0]?.body).toEqual(account);
    expect(seen[1]?.headers["x-csrf-token"]).toBe("csrf-new-user");
  });

  it("after a password change, asks /auth/me for the new session's CSRF token and uses it", async () => {
    const { fetch, seen } = fakeFetch((request) => {
      const path = pathOf(request);
      if (path === "/auth/login") return sessionAnswer("csrf-old");
      if (path === "/auth/password") return json(204, null);
      if (path === "/auth/me") return sessionAnswer("csrf-after-change");
      return json(200, emptyCart);
    });
    const client = createSessionClient({ fetch });
    await client.login("alice", "wonderland42");
    await client.changePassword("wonderland42", "a new long passphrase");
    await client.addItem("tea-mug", 1);
    expect(seen.map((r) => `${r.method} ${pathOf(r)}`)).toEqual([
      "POST /auth/login",
      "POST /auth/password",
      "GET /auth/me",
      "POST /cart/items",
    ]);
    expect(seen[1]?.headers["x-csrf-token"]).toBe("csrf-old");
    expect(seen[1]?.body).toEqual({
      currentPassword: "wonderland42",
      newPassword: "a new long passphrase",
    });
    expect(seen[3]?.headers["x-csrf-token"]).toBe("csrf-after-change");
  });

  it("takes the new CSRF token from the password change's answer when it carries one", async () => {
    const { fetch, seen } = fakeFetch((request) => {
      const path = pathOf(request);
      if (path === "/auth/login") return sessionAnswer("csrf-old");
      if (path === "/auth/password") return sessionAnswer("csrf-in-answer");
      return json(200, emptyCart);
    });
    const client = createSessionClient({ fetch });
    await client.login("alice", "wonderland42");
    await client.changePassword("wonderland42", "a new long passphrase");
    await client.addItem("tea-mug", 1);
    expect(seen.map((r) => pathOf(r))).not.toContain("/auth/me");
    expect(seen[2]?.headers["x-csrf-token"]).toBe("csrf-in-answer");
  });

  it("keeps its session after a wrong current password (401 invalid_credentials)", async () => {
    const { fetch, seen } = fakeFetch((request) => {
      const path = pathOf(request);
      if (path === "/auth/login") return sessionAnswer("csrf-kept");
      if (path === "/auth/password") return json(401, errorBody("invalid_credentials"));
      return json(200, emptyCart);
    });
    const client = createSessionClient({ fetch });
    await client.login("alice", "wonderland42");
    expect((await errorOf(client.changePassword("wrong", "a new long passphrase"))).code).toBe(
      "invalid_credentials",
    );
    await client.addItem("tea-mug", 1);
    expect(seen[2]?.headers["x-csrf-token"]).toBe("csrf-kept");
  });

  it("forgets its CSRF token once it has logged out everywhere", async () => {
    const { fetch, seen } = fakeFetch((request) => {
      const path = pathOf(request);
      if (path === "/auth/login") return sessionAnswer("csrf-1");
      if (path === "/auth/logout-everywhere") return json(204, null);
      return json(401, errorBody("unauthenticated"));
    });
    const client = createSessionClient({ fetch });
    await client.login("alice", "wonderland42");
    await client.logoutEverywhere();
    await errorOf(client.addItem("tea-mug", 1));
    expect(seen[1]?.headers["x-csrf-token"]).toBe("csrf-1");
    expect(seen[2]?.headers["x-csrf-token"]).toBeUndefined();
  });
});

describe("JWT client: accounts", () => {
  const memory = () => new TokenStore("memory", undefined);

  it("signs up and carries the new access token", async () => {
    const { fetch, seen } = fakeFetch((request) =>
      pathOf(request) === "/auth/signup" ? tokenAnswer("token-new") : json(200, emptyCart),
    );
    const tokens = memory();
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await client.signup({ username: "carol", displayName: "Carol", password: "long enough" });
    await client.cart();
    expect(tokens.get()).toBe("token-new");
    expect(seen[1]?.headers.authorization).toBe("Bearer token-new");
  });

  it("after a password change that answers 204, spends the new refresh cookie for new tokens", async () => {
    const { fetch, seen } = fakeFetch((request) => {
      const path = pathOf(request);
      if (path === "/auth/login") return tokenAnswer("token-old");
      if (path === "/auth/password") return json(204, null);
      if (path === "/auth/refresh") return tokenAnswer("token-after-change");
      return json(200, emptyCart);
    });
    const client = createJwtClient({ fetch, tokenStore: memory() });
    await client.login("alice", "wonderland42");
    await client.changePassword("wonderland42", "a new long passphrase");
    await client.cart();
    expect(seen.map((r) => `${r.method} ${pathOf(r)}`)).toEqual([
      "POST /auth/login",
      "POST /auth/password",
      "POST /auth/refresh",
      "GET /cart",
    ]);
    expect(seen[1]?.headers.authorization).toBe("Bearer token-old");
    expect(seen[3]?.headers.authorization).toBe("Bearer token-after-change");
  });

  it("keeps the tokens a password change answers with, without a refresh", async () => {
    const { fetch, seen } = fakeFetch((request) => {
      const path = pathOf(request);
      if (path === "/auth/login") return tokenAnswer("token-old");
      if (path === "/auth/password") return tokenAnswer("token-in-answer");
      return json(200, emptyCart);
    });
    const client = createJwtClient({ fetch, tokenStore: memory() });
    await client.login("alice", "wonderland42");
    await client.changePassword("wonderland42", "a new long passphrase");
    await client.cart();
    expect(seen.map((r) => pathOf(r))).not.toContain("/auth/refresh");
    expect(seen[2]?.headers.authorization).toBe("Bearer token-in-answer");
  });

  it("keeps its token after a wrong current password (401 invalid_credentials)", async () => {
    const { fetch } = fakeFetch((request) =>
      pathOf(request) === "/auth/login"
        ? tokenAnswer("token-kept")
        : json(401, errorBody("invalid_credentials")),
    );
    const tokens = memory();
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await client.login("alice", "wonderland42");
    await errorOf(client.changePassword("wrong", "a new long passphrase"));
    expect(tokens.get()).toBe("token-kept");
  });

  it("forgets its access token once it has logged out everywhere", async () => {
    const { fetch } = fakeFetch((request) =>
      pathOf(request) === "/auth/login" ? tokenAnswer("token-1") : json(204, null),
    );
    const tokens = memory();
    const client = createJwtClient({ fetch, tokenStore: tokens });
    await client.login("alice", "wonderland42");
    await client.logoutEverywhere();
    expect(tokens.get()).toBeNull();
  });
});

describe("staff routes", () => {
  it("sends a role change as PATCH to the user's own path, and reads the user it answers", async () => {
    const { fetch, seen } = fakeFetch((request) =>
      pathOf(request) === "/auth/login"
        ? tokenAnswer("token-1")
        : json(200, { user: { ...staffRow, role: "staff" } }),
    );
    const client = createJwtClient({ fetch, tokenStore: new TokenStore("memory", undefined) });
    await client.login("sam", "storekeeper42");
    const user = await client.admin.updateUser("u/2", { role: "staff" });
    expect(user.role).toBe("staff");
    expect(seen[1]).toMatchObject({
      method: "PATCH",
      url: "/api/jwt/admin/users/u%2F2",
      body: { role: "staff" },
    });
  });

  it("keeps the session on 403 forbidden: the user is known, only not allowed", async () => {
    const { fetch, seen } = fakeFetch((request) =>
      pathOf(request) === "/auth/login"
        ? sessionAnswer("csrf-1")
        : pathOf(request) === "/cart/items"
          ? json(200, emptyCart)
          : json(403, errorBody("forbidden", "Only staff may do this.")),
    );
    const client = createSessionClient({ fetch });
    await client.login("alice", "wonderland42");
    const error = await errorOf(client.admin.updateUser("u2", { disabled: true }));
    expect([error.status, error.code]).toEqual([403, "forbidden"]);
    await client.addItem("tea-mug", 1);
    expect(seen[2]?.headers["x-csrf-token"]).toBe("csrf-1");
  });

  it("refuses a user list of the wrong shape rather than showing undefined", async () => {
    const { fetch } = fakeFetch(() => json(200, { users: [{ ...staffRow, disabled: "no" }] }));
    const error = await errorOf(createSessionClient({ fetch }).admin.users());
    expect(error.code).toBe("unexpected_response");
  });
});
