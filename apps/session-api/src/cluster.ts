import { fileURLToPath } from "node:url";
import { startCluster } from "@repo/shop";

// `npm run start:cluster`: two instances of this backend behind its one port, each started by
// `index.ts` as a single one is. Sessions then need a store both instances share (README).
startCluster({
  name: "session-api",
  entry: fileURLToPath(new URL("./index.ts", import.meta.url)),
  instances: 2,
});
