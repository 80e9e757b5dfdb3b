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
  if (!alice || !bob) throw new Error("demo users were not seeded");

  const fakeWho: RequestHandler = (req, res, next) => {
    const user = { alice, bob }[String(req.get("x-test-user"))];
    if (!user) throw new HttpError("unauthenticated", "Log in first.");
    setCurrentUser(res, user);
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
  return { app, store, alice, bob };
}
