// `npm run remove-demo-accounts -w @repo/store -- <path to shop.sqlite>`: deletes the demo
// accounts that still have their public passwords, so the file may serve production.
import { resolve } from "node:path";
import { removeDemoAccounts } from "./demo-accounts";
import { openSqliteStore } from "./sqlite";

const given = process.argv[2];
if (!given) {
  console.error("usage: npm run remove-demo-accounts -w @repo/store -- <path to shop.sqlite>");
  process.exit(2);
}
// npm runs this in packages/store; a relative path means one from where npm was started.
const file = resolve(process.env.INIT_CWD ?? process.cwd(), given);
const store = await openSqliteStore({ file, seed: false });
try {
  const removed = await removeDemoAccounts(store);
  console.log(
    removed.length > 0
      ? `removed the demo accounts ${removed.join(", ")} from ${file}`
      : `no demo account with a public password in ${file}`,
  );
} finally {
  await store.close();
}
