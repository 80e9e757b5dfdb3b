// `npm run render -w packages/docs-tools`: refreshes every excerpt in docs/ from the source.
import { renderChapters, repoRoot } from "./docs";

const { written, problems } = renderChapters(repoRoot);
for (const file of written) console.log(`rendered ${file}`);
if (written.length === 0 && problems.length === 0) console.log("every excerpt is up to date");
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s); those chapters were left untouched:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exitCode = 1;
}
