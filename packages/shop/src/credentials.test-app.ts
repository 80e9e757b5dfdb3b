import { insecureFastScryptParamsForTests, openSqliteStore } from "@repo/store";
import express from "express";
import { jsonBodyParser } from "./body";
import { checkCredentials } from "./credentials";
import { errorHandler } from "./error-handler";
import { LoginThrottle, type LoginThrottleOptions } from "./login-throttle";
import { traceMiddleware } from "./trace";

/** A bare login endpoint around `checkCredentials`, for its tests. Test code only. */
export async function createLoginTestApp(
  options: { sendTrace?: boolean; throttle?: Partial<LoginThrottleOptions> } = {},
) {
  const store = await openSqliteStore({
    file: ":memory:",
    scrypt: insecureFastScryptParamsForTests,
  });
  const throttle = new LoginThrottle(options.throttle);
  const app = express();
  app.use(traceMiddleware({ sendHeader: options.sendTrace ?? false }));
  app.use(jsonBodyParser());
  app.post("/login", async (req, res) => {
    const user = await checkCredentials(req, res, { users: store.users, throttle });
    res.json({ user });
  });
  app.use(errorHandler(() => {}));
  return { app, store, throttle };
}
