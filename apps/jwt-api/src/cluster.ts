import { fileURLToPath } from "node:url";
import { startCluster } from "@repo/shop";

// `npm run start:cluster`: two instances of this backend behind its one port, each started by
// `index.ts` as a single one is. Access tokens need no shared state; refresh tokens, the
// denylist and the login throttle do (README).
startCluster({
  name: "jwt-api",
  entry: fileURLToPath(new URL("./index.ts", import.meta.url)),
  instances: 2,
});
