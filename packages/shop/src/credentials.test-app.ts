import {
  createSqliteThrottleStore,
  insecureFastScryptParamsForTests,
  openSqliteStore,
  publicUser,
} from "@repo/store";
import express from "express";
import { jsonBodyParser } from "./body";
import { checkCredentials } from "./credentials";
import { errorHandler } from "./error-handler";
import { LoginThrottle, type LoginThrottleOptions } from "./login-throttle";
import { traceMiddleware } from "./trace";

/**
 * A bare login endpoint around `checkCredentials`, for its tests. Test code only: it trusts
 * X-Forwarded-For from anyone, so a test can log in from several addresses.
 */
export async function createLoginTestApp(
  options: {
    sendTrace?: boolean;
    throttle?: Partial<LoginThrottleOptions>;
    /** A SQLite file, whose throttle table the counts then live in (":memory:" and memory counts by default). */
    file?: string;
  } = {},
) {
  const store = await openSqliteStore({
    file: options.file ?? ":memory:",
    scrypt: insecureFastScryptParamsForTests,
  });
  const throttle = new LoginThrottle({
    ...(options.file ? { store: await createSqliteThrottleStore(store.database) } : {}),
    ...options.throttle,
  });
  const app = express();
  app.set("trust proxy", true);
  app.use(traceMiddleware({ sendHeader: options.sendTrace ?? false }));
  app.use(jsonBodyParser());
  app.post("/login", async (req, res) => {
    const user = await checkCredentials(req, res, { users: store.users, throttle });
    res.json({ user: publicUser(user) });
  });
  app.use(errorHandler(() => {}));
  return { app, store, throttle };
}
