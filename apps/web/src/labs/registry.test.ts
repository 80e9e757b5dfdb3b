import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { labIds } from "./lab";
import { labs } from "./registry";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const read = (file: string) => readFileSync(path.join(repoRoot, file), "utf8");

describe("the labs registry", () => {
  it("has every lab once, in the order of the checklist", () => {
    expect(labs.map((lab) => lab.id)).toEqual([...labIds]);
  });

  it("links only code regions that exist", () => {
    for (const lab of labs) {
      for (const ref of lab.code) {
        const marker = new RegExp(`#region ${ref.region}\\s*$`, "m");
        expect(read(ref.path), `${lab.id}: ${ref.path}#${ref.region}`).toMatch(marker);
      }
    }
  });

  it("links a section of the labs chapter for each lab", () => {
    const chapter = read("docs/08-labs.md");
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .trim()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
    const anchors = [...chapter.matchAll(/^## (.+)$/gm)].map((match) => slug(match[1] ?? ""));
    for (const lab of labs) expect(anchors, lab.id).toContain(lab.docsAnchor);
  });
});
