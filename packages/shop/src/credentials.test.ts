import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorBodySchema } from "@repo/contract";
import type { Account } from "@repo/store";
import request from "supertest";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createLoginTestApp } from "./credentials.test-app";

const tempDir = mkdtempSync(join(tmpdir(), "shop-credentials-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

type LoginApp = Awaited<ReturnType<typeof createLoginTestApp>>;
let login: LoginApp | undefined;
const others: LoginApp[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await login?.store.close();
  for (const other of others.splice(0)) await other.store.close();
});

/** A login from `from`; sent at once (supertest waits for a `then` to send). */
function attempt(
  username: string,
  password: string,
  from = "10.0.0.1",
  app = login,
): Promise<request.Response> {
  if (!app) throw new Error("create the login app first");
  const sent = request(app.app).post("/login").set("X-Forwarded-For", from);
  return sent.send({ username, password }).then((res) => res);
}

/** Makes password checks of `usernames` wait until `release` is called; counts every check. */
function holdPasswordChecks(app: LoginApp, held: (username: string) => boolean) {
  const users = app.store.users;
  const original = users.verifyCredentials.bind(users);
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const checked: string[] = [];
  vi.spyOn(users, "verifyCredentials").mockImplementation(
    async (username: string, password: string): Promise<Account | undefined> => {
      checked.push(username);
      if (held(username)) await gate;
      return original(username, password);
    },
  );
  return { checked, release: open };
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
      role: "customer",
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

  it("counts each attempt before the password check, so of 30 parallel wrong logins for one account only 5 reach it", async () => {
    // A hashing queue wide enough to let all 30 in, so only the count can hold them back.
    login = await createLoginTestApp({
      throttle: { hashing: { maxConcurrent: 64, maxWaiting: 64, maxPerAddress: 64 } },
    });
    const checks = holdPasswordChecks(login, () => false);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt("alice", `guess-${i}`)),
    );
    expect(checks.checked).toHaveLength(5);
    expect(answers.filter((res) => res.status === 401)).toHaveLength(5);
    expect(answers.filter((res) => res.status === 429)).toHaveLength(25);
    expect((await attempt("alice", "wonderland42")).status).toBe(429);
  });

  it("counts in the shop's database, so an account locked through one backend is locked in the other", async () => {
    const file = join(tempDir, "shared.sqlite");
    login = await createLoginTestApp({ file, throttle: { maxFailuresPerAccount: 3 } });
    const otherBackend = await createLoginTestApp({ file, throttle: { maxFailuresPerAccount: 3 } });
    others.push(otherBackend);
    for (let i = 0; i < 3; i++) expect((await attempt("bob", "guess")).status).toBe(401);
    const elsewhere = await attempt("bob", "builder42", "10.0.0.9", otherBackend);
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("lets a real login from another address through while 60 bogus logins from one address are in flight", async () => {
    // Four hashes at once (a machine with 5 CPUs or more): the flood's two places leave two.
    login = await createLoginTestApp({
      throttle: { hashing: { maxConcurrent: 4, maxWaiting: 64, maxPerAddress: 2 } },
    });
    const checks = holdPasswordChecks(login, (username) => username.startsWith("bogus"));
    const bogus = Array.from({ length: 60 }, (_, i) => attempt(`bogus${i}`, "x", "10.0.0.66"));
    // The flood's share of the hasher is in use and held there; everything else was turned away.
    await expect.poll(() => checks.checked.length, { timeout: 15_000 }).toBeGreaterThan(0);

    const real = await attempt("alice", "wonderland42", "10.0.0.7");
    expect(real.status).toBe(200);

    checks.release();
    const answers = await Promise.all(bogus);
    const refused = answers.filter((res) => res.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(55);
    expect(answers.filter((res) => res.status === 401).length).toBeLessThanOrEqual(5);
    for (const res of refused) {
      expect(errorBodySchema.parse(res.body).error.code).toBe("rate_limited");
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    }
  });

  it("with one hash at a time (2 CPUs), makes a real login wait only for the flood's two places", async () => {
    login = await createLoginTestApp({
      throttle: { hashing: { maxConcurrent: 1, maxWaiting: 64, maxPerAddress: 2 } },
    });
    const checks = holdPasswordChecks(login, (username) => username.startsWith("bogus"));
    const bogus = Array.from({ length: 60 }, (_, i) => attempt(`bogus${i}`, "x", "10.0.0.66"));
    await expect.poll(() => checks.checked.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const answers = Promise.all(bogus);

    // First come, first served: the real login lines up behind the flood's two places only.
    const real = attempt("alice", "wonderland42", "10.0.0.7");
    checks.release();
    expect((await real).status).toBe(200);
    expect(checks.checked).toEqual([...checks.checked.slice(0, 2), "alice"]);
    expect((await answers).filter((res) => res.status === 429)).toHaveLength(58);
  });

  it("refuses a login with 429 at once when the hashing queue is full", async () => {
    login = await createLoginTestApp({
      throttle: { hashing: { maxConcurrent: 1, maxWaiting: 1, maxPerAddress: 1 } },
    });
    const checks = holdPasswordChecks(login, () => true);
    const first = attempt("alice", "a", "10.0.1.1"); // hashing
    await expect.poll(() => checks.checked.length, { timeout: 15_000 }).toBe(1);
    const second = attempt("alice", "b", "10.0.1.2"); // waiting its turn
    const third = await attempt("bob", "c", "10.0.1.3"); // no room left
    expect(third.status).toBe(429);
    expect(errorBodySchema.parse(third.body).error.code).toBe("rate_limited");
    checks.release();
    expect((await first).status).toBe(401);
    expect((await second).status).toBe(401);
  });

  it("locks an address that sprays many accounts", async () => {
    login = await createLoginTestApp({ throttle: { maxFailuresPerAddress: 4 } });
    for (const name of ["a1", "a2", "a3", "a4"])
      expect((await attempt(name, "x")).status).toBe(401);
    expect((await attempt("alice", "wonderland42")).status).toBe(429);
  });
});
