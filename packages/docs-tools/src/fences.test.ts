import { describe, expect, it } from "vitest";
import { linesOutsideFences } from "./fences";

const outside = (markdown: string) => linesOutsideFences(markdown).map((line) => line.text);

describe("linesOutsideFences", () => {
  it("drops fenced blocks and their fence lines, keeping each line's number", () => {
    expect(linesOutsideFences("a\n```ts\ncode\n```\nb")).toEqual([
      { text: "a", lineNumber: 1 },
      { text: "b", lineNumber: 5 },
    ]);
  });

  it("closes a fence only with the same character, at least as long as the opening", () => {
    expect(outside("````\n```\n~~~~\nin\n````\nout")).toEqual(["out"]);
    expect(outside("~~~\n```\nin\n~~~~\nout")).toEqual(["out"]);
  });

  it("treats an unclosed fence as running to the end", () => {
    expect(outside("a\n```\nb\nc")).toEqual(["a"]);
  });
});
