// The baseline server: the shop app both backends run, on the same store, answering the same
// routes, but with the user fixed in code. A backend's rate over this one's is then the cost of
// proving who is asking, and nothing else. Started by the bench as `tsx src/baseline-server.ts`.
import { apiPrefix, authModes, demoUsers } from "@repo/contract";
import {
  createShopApp,
  type Env,
  readChoice,
  readConfigOrExit,
  readServerConfig,
  serve,
  setCurrentUser,
} from "@repo/shop";
import { openShopStore } from "@repo/store";
import { type RequestHandler, Router } from "express";

/** PORT, HOST, DATA_DIR, SHOP_STORE as the backends read them; BASELINE_MODE picks the prefix. */
function readBaselineConfig(env: Env) {
  return {
    ...readServerConfig(env, { port: 0 }),
    mode: readChoice(env, "BASELINE_MODE", authModes, "session"),
  };
}

const config = readConfigOrExit("bench baseline", readBaselineConfig, process.env);
const store = await openShopStore(config.shopStore, { demoUsers: true });
const username = demoUsers[0]?.username ?? "alice";
const user = await store.users.findUserByUsername(username);
if (!user) throw new Error(`the store has no ${username} to fix as the user`);

// No cookie, no token, no store lookup: this request is that user because the code says so.
const fixedUser: RequestHandler = (_req, res, next) => {
  setCurrentUser(res, { id: user.id, role: user.role, roleFrom: "store" });
  next();
};

const app = createShopApp({
  mode: config.mode,
  prefix: apiPrefix[config.mode],
  store,
  authRouter: Router(),
  requireUser: [fixedUser],
  storeNames: { shop: store.kind },
  instanceName: config.instanceName,
});

await serve(app, {
  name: `bench baseline (${apiPrefix[config.mode]}, user fixed in code)`,
  config,
  cookieName: "no",
  onClose: () => store.close(),
});
