// The stdout table of `veritrace grade` and `veritrace merge`: the six settings and "all" as rows.
import type { SummaryHead } from "../score/index.js";

function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? "-" : `${(100 * x).toFixed(2)}%`;
}

/** The table of a summary (its per-problem scores are not needed). */
export function formatTable(summary: SummaryHead): string {
  const header = ["setting", "problems", "traces", "k", "pass@1", "maj@k", "pass@k", "no-answer"];
  const rows: string[][] = [];
  for (const [name, s] of Object.entries(summary.settings)) {
    const k = s.k;
    rows.push([
      name,
      String(s.problems),
      String(s.traces),
      k === null ? "-" : String(k),
      pct(s["pass@1"]),
      k === null ? "-" : pct(s["maj@k"][k]?.value),
      k === null ? "-" : pct(s["pass@k"][k]?.value),
      pct(s.no_answer),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const lines = [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)];
  const t = summary.totals;
  lines.push(
    "",
    `rows ${t.rows}: correct ${t.correct}, incorrect ${t.incorrect}, no answer ${t.no_answer}, unparsable ${t.unparsable}, ` +
      `too complex ${t.too_complex}, no reference ${t.no_reference}, invalid input ${t.invalid_input}`,
    "k: the largest requested k that every problem of the row reaches; maj@k votes grouped by equivalence" +
      (summary.options.compat ? ` (compat ${summary.options.compat}: raw strings)` : ""),
  );
  return lines.join("\n") + "\n";
}
