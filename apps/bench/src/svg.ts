// docs/generated/bench.svg: the ratios as bars with their ranges. Pure, so it is tested.
import { type BenchReport, describeMachine, formatRatio } from "./report";

/** Text for an SVG element or attribute: the five characters XML reserves, escaped. */
export function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

const width = 880;
const labelWidth = 300;
const chartLeft = labelWidth + 10;
const chartRight = width - 130; // room for the value after each bar
const top = 92;
const rowHeight = 24;
/** Dark for reads, pale for writes; blue for the session cookie, orange for JWT. */
const colours = {
  session: { "cart read": "#2f6db5", "cart write": "#9dbde6" },
  jwt: { "cart read": "#c2621a", "cart write": "#efb98f" },
} as const;

/** A horizontal bar chart: one bar per row at the median ratio, a whisker over its range. */
export function renderSvg(report: BenchReport): string {
  const rows = report.ratios;
  const largest = Math.max(1.2, ...rows.map((row) => row.ratio.max));
  const scaleMax = Math.ceil(largest * 5) / 5; // a round 0.2 step past the widest whisker
  const x = (ratio: number) => chartLeft + (ratio / scaleMax) * (chartRight - chartLeft);
  const chartBottom = top + rows.length * rowHeight;
  const height = chartBottom + 96;
  const { settings } = report;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml("Throughput of each mode relative to the same route with the user fixed in code")}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="24" font-size="16" font-weight="bold">${escapeXml("Throughput relative to the baseline (same route, same app, user fixed in code)")}</text>`,
    `<text x="12" y="44">${escapeXml(`Machine: ${describeMachine(report.machine)}; ${report.date.toISOString().slice(0, 10)}`)}</text>`,
    `<text x="12" y="62">${escapeXml(`Median of ${settings.pairs} pairs of adjacent ${settings.windowMs} ms windows, ${settings.connections} connections; whiskers show the range of the pairs.`)}</text>`,
  ];
  // Grid lines every 0.2, with the baseline's 1.0 drawn darker.
  for (let step = 0; step <= Math.round(scaleMax * 5); step++) {
    const ratio = step / 5;
    const isBaseline = step === 5;
    out.push(
      `<line x1="${x(ratio).toFixed(1)}" y1="${top - 6}" x2="${x(ratio).toFixed(1)}" y2="${chartBottom}" stroke="${isBaseline ? "#333333" : "#dddddd"}"${isBaseline ? ' stroke-dasharray="4 3"' : ""}/>`,
      `<text x="${x(ratio).toFixed(1)}" y="${chartBottom + 16}" text-anchor="middle" fill="#555555">${ratio.toFixed(1)}x</text>`,
    );
  }
  out.push(
    `<text x="${x(1).toFixed(1)}" y="${top - 10}" text-anchor="middle" fill="#333333">baseline = 1.0x</text>`,
  );
  for (const [index, row] of rows.entries()) {
    const y = top + index * rowHeight;
    const middle = y + rowHeight / 2;
    const colour = colours[row.family][row.route];
    out.push(
      `<text x="${labelWidth}" y="${middle + 4}" text-anchor="end">${escapeXml(`${row.mode}, ${row.route}`)}</text>`,
      `<rect x="${chartLeft}" y="${y + 4}" width="${(x(row.ratio.median) - chartLeft).toFixed(1)}" height="${rowHeight - 8}" fill="${colour}" class="bar"/>`,
      `<line x1="${x(row.ratio.min).toFixed(1)}" y1="${middle}" x2="${x(row.ratio.max).toFixed(1)}" y2="${middle}" stroke="#111111"/>`,
      `<line x1="${x(row.ratio.min).toFixed(1)}" y1="${middle - 5}" x2="${x(row.ratio.min).toFixed(1)}" y2="${middle + 5}" stroke="#111111"/>`,
      `<line x1="${x(row.ratio.max).toFixed(1)}" y1="${middle - 5}" x2="${x(row.ratio.max).toFixed(1)}" y2="${middle + 5}" stroke="#111111"/>`,
      `<text x="${chartRight + 8}" y="${middle + 4}">${escapeXml(formatRatio(row.ratio))}</text>`,
    );
    // The same comparison by the servers' CPU time per request: a diamond on the bar.
    if (row.cpu) {
      const cx = x(row.cpu.ratio);
      const points = [
        [cx, middle - 6],
        [cx + 5, middle],
        [cx, middle + 6],
        [cx - 5, middle],
      ];
      const path = points.map(([px, py]) => `${px?.toFixed(1)},${py?.toFixed(1)}`).join(" ");
      out.push(
        `<polygon points="${path}" fill="#ffffff" stroke="#111111" class="cpu"><title>${escapeXml(`by server CPU: ${row.cpu.ratio.toFixed(2)}x`)}</title></polygon>`,
      );
    }
  }
  out.push(
    `<text x="12" y="${chartBottom + 40}" font-weight="bold">${escapeXml("The ratios are the result, not the absolute rates: those depend on the machine and on what else it was doing.")}</text>`,
    `<text x="12" y="${chartBottom + 58}" fill="#555555">${escapeXml("Dark bars: cart read (GET P/cart). Pale bars: cart write (POST/PATCH P/cart/items). Blue: session cookie. Orange: JWT.")}</text>`,
    `<text x="12" y="${chartBottom + 76}" fill="#555555">${escapeXml("Diamonds: the same ratio by each server's CPU time per request, which does not depend on how fast the load arrives.")}</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
}
