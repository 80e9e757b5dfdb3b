import { describe, expect, it } from "vitest";
import { escapeXml, renderSvg } from "./svg";
import { sampleReport } from "./testing";

/** The position and width of each bar, in order. */
function bars(svg: string) {
  return [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*class="bar"/g)].map(
    (match) => ({ x: Number(match[1]), width: Number(match[2]) }),
  );
}

describe("renderSvg", () => {
  const svg = renderSvg(sampleReport());

  it("names the machine and says that ratios, not absolute rates, are the result", () => {
    expect(svg).toContain("Machine: Example CPU @ 2.00GHz, 2 CPUs, 24 GiB, Node 20.20.2");
    expect(svg).toContain("The ratios are the result, not the absolute rates");
  });

  it("draws one bar per row, as long as its median ratio", () => {
    const [session, jwt] = bars(svg);
    expect(bars(svg)).toHaveLength(2);
    // Both start at 0x, so their widths are in the ratio of their medians.
    expect(session?.x).toBe(jwt?.x);
    expect((session?.width ?? 0) / (jwt?.width ?? 1)).toBeCloseTo(0.47 / 0.71, 2);
  });

  it("labels each bar with its median and range", () => {
    expect(svg).toContain(">session (SQLite), cart read</text>");
    expect(svg).toContain(">0.47x (0.32-0.59)</text>");
  });

  it("marks the ratio by server CPU with a diamond on the rows that have one", () => {
    const diamonds = [...svg.matchAll(/<polygon points="([\d.]+),[\d.]+ [^"]*"[^>]*class="cpu"/g)];
    expect(diamonds).toHaveLength(1);
    const [session] = bars(svg);
    const fullScale = (session?.width ?? 0) / 0.47; // a bar's width per 1.0x
    const expected = (session?.x ?? 0) + 0.5578 * fullScale;
    expect(Number(diamonds[0]?.[1])).toBeCloseTo(expected, 0);
    expect(svg).toContain("Diamonds: the same ratio by each server&apos;s CPU time per request");
  });

  it("widens the scale past a range that goes beyond 1.2x", () => {
    const wide = sampleReport();
    const [first] = wide.ratios;
    if (first) first.ratio = { median: 1.1, min: 0.9, max: 1.5 };
    expect(renderSvg(wide)).toContain(">1.6x</text>");
    expect(svg).not.toContain(">1.4x</text>");
  });

  it("escapes text, so a name with markup characters cannot break the file", () => {
    const odd = sampleReport();
    const [first] = odd.ratios;
    if (first) first.mode = "a<b>&c";
    const text = renderSvg(odd);
    expect(text).toContain("a&lt;b&gt;&amp;c, cart read");
    expect(text).not.toContain("a<b>");
  });
});

describe("escapeXml", () => {
  it("escapes the five reserved characters and nothing else", () => {
    expect(escapeXml(`<a href="x">'&'</a> ok`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt; ok",
    );
  });
});
