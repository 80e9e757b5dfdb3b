// Opens the store at argv[2] once the clock passes argv[3], for the two-process seeding test.
import { insecureFastScryptParamsForTests } from "./passwords";
import { openSqliteStore } from "./sqlite";

const [file, startAtMs] = process.argv.slice(2);
if (!file || !startAtMs) throw new Error("usage: seed-race.child.ts <file> <startAtMs>");

await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtMs) - Date.now())));
const store = await openSqliteStore({ file, scrypt: insecureFastScryptParamsForTests });
await store.close();
process.stdout.write("opened\n");
