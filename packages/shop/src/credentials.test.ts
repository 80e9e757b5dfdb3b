import { errorBodySchema } from "@repo/contract";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createLoginTestApp } from "./credentials.test-app";

let login: Awaited<ReturnType<typeof createLoginTestApp>> | undefined;
afterEach(async () => {
  await login?.store.close();
});

function attempt(username: string, password: string) {
  if (!login) throw new Error("create the login app first");
  return request(login.app).post("/login").send({ username, password });
}

describe("checkCredentials", () => {
  it("returns the user, never the hash, for the right password", async () => {
    login = await createLoginTestApp();
    const res = await attempt("alice", "wonderland42");
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      username: "alice",
      displayName: "Alice",
    });
  });

  it("answers an unknown user exactly like a wrong password", async () => {
    login = await createLoginTestApp();
    const wrong = await attempt("alice", "not-it");
    const unknown = await attempt("mallory", "not-it");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(errorBodySchema.parse(wrong.body).error.code).toBe("invalid_credentials");
  });

  it("refuses a malformed login body with 400 before any password work", async () => {
    login = await createLoginTestApp();
    const res = await request(login.app).post("/login").send({ username: "alice" });
    expect(res.status).toBe(400);
    expect(errorBodySchema.parse(res.body).error.code).toBe("invalid_request");
  });

  it("locks an account after repeated failures, even against the right password, with Retry-After", async () => {
    login = await createLoginTestApp({ throttle: { maxFailuresPerAccount: 3 } });
    for (let i = 0; i < 3; i++) expect((await attempt("alice", "guess")).status).toBe(401);
    const locked = await attempt("ALICE", "wonderland42");
    expect(locked.status).toBe(429);
    expect(errorBodySchema.parse(locked.body).error.code).toBe("rate_limited");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    expect((await attempt("bob", "builder42")).status).toBe(200);
  });

  it("locks unknown accounts the same way, so a 429 does not reveal which names exist", async () => {
    login = await createLoginTestApp({ throttle: { maxFailuresPerAccount: 3 } });
    for (let i = 0; i < 3; i++) expect((await attempt("nobody", "guess")).status).toBe(401);
    expect((await attempt("nobody", "guess")).status).toBe(429);
  });

  it("locks an address that sprays many accounts", async () => {
      role: "customer",
    login = await createLoginTestApp({ throttle: { maxFailuresPerAddress: 4 } });
    for (const name of ["a1", "a2", "a3", "a4"])
      expect((await attempt(name, "x")).status).toBe(401);
    expect((await attempt("alice", "wonderland42")).status).toBe(429);
  });
});
