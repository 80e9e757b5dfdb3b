import {
  insecureFastScryptParamsForTests,
  openSqliteStore,
  type SqliteShopStore,
} from "@repo/store";
import { type RequestHandler, Router } from "express";
import { setCurrentUser } from "./current-user";
import { HttpError } from "./http-error";
import { createShopApp, type ShopAppOptions } from "./shop-app";

/**
 * A tiny app for the shop tests: the shared app with a fake "who is this?" that trusts an
 * `X-Test-User` header. Test code only; a real backend proves identity in its own auth.ts.
 */
export async function createTestShop(
  options: { demo?: boolean; file?: string; healthChecks?: ShopAppOptions["healthChecks"] } = {},
) {
  const store: SqliteShopStore = await openSqliteStore({
    file: options.file ?? ":memory:",
    scrypt: insecureFastScryptParamsForTests,
  });
  const alice = await store.users.findUserByUsername("alice");
  const bob = await store.users.findUserByUsername("bob");
  const sam = await store.users.findUserByUsername("sam");
  if (!alice || !bob || !sam) throw new Error("demo users were not seeded");

  // `X-Test-Role` stands in for a role claim: whatever the request says, as a token would.
  const fakeWho: RequestHandler = (req, res, next) => {
    const user = { alice, bob, sam }[String(req.get("x-test-user"))];
    if (!user) throw new HttpError("unauthenticated", "Log in first.");
    const claimed = req.get("x-test-role");
    const role = claimed === "staff" || claimed === "customer" ? claimed : user.role;
    setCurrentUser(res, { id: user.id, role, roleFrom: claimed ? "token" : "store" });
    next();
  };
  const authRouter = Router();
  authRouter.get("/boom", () => {
    throw new Error("a bug with a secret-looking message: hunter2");
  });

  const app = createShopApp({
    mode: "session",
    prefix: "/api/test",
    store,
    authRouter,
    requireUser: [fakeWho],
    storeNames: { users: "sqlite" },
    instanceName: "test-1",
    ...(options.demo ? { demoState: async () => ({ held: [] }) } : {}),
    ...(options.healthChecks ? { healthChecks: options.healthChecks } : {}),
    log: () => {},
  });
  return { app, store, alice, bob, sam };
}
