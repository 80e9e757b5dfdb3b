import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = path.dirname(fileURLToPath(import.meta.url));

// Every `import ... from "x"`, `export ... from "x"`, `import "x"` and `import("x")`, type-only
// ones included: a reader follows those too, so they count as edges of the graph.
const specifierPattern =
  /(?:\bimport\s[^"'`;]*?\bfrom\s*|\bexport\s[^"'`;]*?\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name) && !name.endsWith(".d.ts"))
    .map((name) => path.join(dir, name));
}

function specifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(specifierPattern)].map((match) => match[1] ?? "");
}

/** The file a relative specifier names, or undefined for a package (or a virtual module). */
function resolveLocal(from: string, specifier: string, files: ReadonlySet<string>) {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier.replace(/\?.*$/, ""));
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((candidate) =>
    files.has(candidate),
  );
}

/** Each cycle once, as the chain of files (relative to src/) that closes on itself. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const chain: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    chain.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...chain.slice(chain.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    chain.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

function importGraph(): Map<string, string[]> {
  const files = sourceFiles(srcDir);
  const known = new Set(files);
  const relative = (file: string) => path.relative(srcDir, file);
  return new Map(
    files.map((file) => [
      relative(file),
      specifiers(file)
        .map((specifier) => resolveLocal(file, specifier, known))
        .filter((target): target is string => target !== undefined)
        .map(relative),
    ]),
  );
}

describe("imports in apps/web/src", () => {
  it("finds a cycle when two files import each other", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts", "a.ts"]],
      ["c.ts", []],
    ]);
    expect(findCycles(graph)).toEqual([["a.ts", "b.ts", "a.ts"]]);
  });

  it("form no cycle, type-only imports included", () => {
    const graph = importGraph();
    expect(graph.get(path.join("api", "sessionClient.ts"))).toContain(
      path.join("api", "client.ts"),
    );
    expect(findCycles(graph)).toEqual([]);
  });

  it("bring no validator into the browser: no zod, and from the contract only its plain values", () => {
    // Every module of @repo/contract but values.ts builds zod schemas as it loads.
    const valuesFile = path.resolve(srcDir, "../../../packages/contract/src/values.ts");
    const plainValues = new Set(
      [...readFileSync(valuesFile, "utf8").matchAll(/^export (?:const|function) (\w+)/gm)].map(
        (match) => match[1],
      ),
    );
    expect(plainValues).toContain("workflowSteps");
    const browserFiles = sourceFiles(srcDir).filter(
      (file) =>
        !/\.test\.tsx?$|fakeFetch\.ts$|test-setup\.ts$/.test(file) &&
        !file.includes(`${path.sep}build${path.sep}`),
    );
    const offenders = browserFiles.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      const fromContract = [
        ...text.matchAll(/import\s+(?!type\s)\{([^}]*)\}\s*from\s*"@repo\/contract"/g),
      ]
        .flatMap((match) => (match[1] ?? "").split(","))
        .map((name) => name.trim())
        .filter((name) => name !== "" && !name.startsWith("type ") && !plainValues.has(name));
      const zod = specifiers(file).filter((specifier) => /^zod(\/|$)/.test(specifier));
      return [...fromContract, ...zod].map((name) => `${path.relative(srcDir, file)}: ${name}`);
    });
    expect(browserFiles.length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});
