// Renders a ReportModel as one self-contained HTML page: tables and text on the server side (escaped),
// charts drawn in the browser by the inlined Chart.js from data embedded as JSON. The output depends only
// on the model (no dates, no paths of this machine), so the same inputs give the same bytes.
import { chartLibraries } from "./assets.js";
import { drawCharts, type ChartData } from "./client.js";
import { escapeHtml as esc, jsonForScript, scriptForInline } from "./escape.js";
import { formatRate, shortTokens } from "./format.js";
import type { AuditSection, LengthSection, ReportModel, SettingRow } from "./model.js";

const PALETTE = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#ca8a04", "#0f172a", "#db2777"];
const NOT_PROVIDED = (what: string, flag: string) =>
  `<p class="missing">Not provided: run <code>veritrace report</code> with <code>${flag}</code> to show ${what}.</p>`;

export interface PassRateHistogram {
  bins: string[];
  counts: number[];
  /** Position of the threshold on the category axis (bar i spans i − 0.5 .. i + 0.5). */
  thresholdAt: number;
  axisTitle: string;
}

/** Most attempts per problem for which every possible pass rate c/n gets its own bar. */
const MAX_EXACT_SAMPLES = 32;

/**
 * Histogram of per-problem pass rates. With a common number of attempts n (≤ 32), one bar per possible
 * rate c/n, so no bin is empty by construction; otherwise ten bins [0, 0.1], (0.1, 0.2], ..., (0.9, 1],
 * right-closed so that a rate equal to the threshold falls left of the line, as the filter keeps it (it
 * drops rates above the threshold).
 */
export function passRateHistogram(rates: readonly number[], samples: number | null, threshold: number): PassRateHistogram {
  if (samples !== null && samples >= 1 && samples <= MAX_EXACT_SAMPLES) {
    const counts = new Array<number>(samples + 1).fill(0);
    for (const r of rates) if (Number.isFinite(r)) counts[Math.min(samples, Math.max(0, Math.round(r * samples)))]++;
    const atOrBelow = counts.filter((_, c) => c / samples <= threshold + 1e-12).length;
    return {
      bins: counts.map((_, c) => `${c}/${samples}`),
      counts,
      thresholdAt: atOrBelow - 0.5,
      axisTitle: `pass rate (correct of ${samples} attempts)`,
    };
  }
  const binCount = 10;
  const counts = new Array<number>(binCount).fill(0);
  for (const r of rates) {
    if (!Number.isFinite(r)) continue;
    counts[Math.min(binCount - 1, Math.max(0, Math.ceil(r * binCount - 1e-9) - 1))]++;
  }
  const edge = (i: number) => String(Math.round((i / binCount) * 100) / 100);
  return {
    bins: counts.map((_, i) => `${edge(i)}–${edge(i + 1)}`),
    counts,
    thresholdAt: threshold * binCount - 0.5,
    axisTitle: "pass rate",
  };
}

function settingsTable(rows: SettingRow[], k: number | null): string {
  if (rows.length === 0) return `<p class="missing">The summary has no settings.</p>`;
  // One k for the whole table goes in the headers; otherwise each row says its own in a k column.
  const kLabel = k == null ? "k" : String(k);
  const kColumn = k == null;
  const body = rows
    .map(
      (r) =>
        `<tr${r.label === "all" ? ' class="all"' : ""}><th scope="row">${esc(r.label)}</th>` +
        (kColumn ? `<td>${r.k ?? "–"}</td>` : "") +
        `<td>${formatRate(r.pass1)}</td><td>${formatRate(r.majK)}</td><td>${formatRate(r.passK)}</td>` +
        `<td>${formatRate(r.noAnswer)}</td><td>${r.traces.toLocaleString("en-US")}</td></tr>`,
    )
    .join("\n");
  return (
    `<table class="settings"><thead><tr><th scope="col">setting</th>${kColumn ? '<th scope="col">k</th>' : ""}<th scope="col">pass@1</th>` +
    `<th scope="col">maj@${kLabel}</th><th scope="col">pass@${kLabel}</th><th scope="col">no answer</th>` +
    `<th scope="col">traces</th></tr></thead>\n<tbody>\n${body}\n</tbody></table>`
  );
}

function factsList(facts: Array<{ name: string; value: string }>): string {
  if (facts.length === 0) return "";
  return `<dl class="facts">${facts.map((f) => `<div><dt>${esc(f.name)}</dt><dd>${esc(f.value)}</dd></div>`).join("")}</dl>`;
}

function lengthsSection(lengths: LengthSection | null): string {
  if (!lengths) return NOT_PROVIDED("the token-length distribution and bucket edges", "--plan plan.json");
  if (lengths.modes.length === 0) return `<p class="missing">plan.json lists no traces.</p>` + factsList(lengths.facts);
  return `<div class="chart wide"><canvas id="chart-lengths" role="img" aria-label="token lengths per mode"></canvas></div>${factsList(lengths.facts)}`;
}

function auditSection(audit: AuditSection | null): string {
  if (!audit) return NOT_PROVIDED("answer-repair and filter counts", "--audit audit.jsonl");
  const table =
    audit.counts.length === 0
      ? `<p class="missing">The audit has no decisions.</p>`
      : `<table class="audit"><thead><tr><th scope="col">rule</th><th scope="col">outcome</th><th scope="col">decisions</th></tr></thead><tbody>` +
        audit.counts.map((c) => `<tr><td>${esc(c.rule)}</td><td>${esc(c.outcome)}</td><td>${c.count.toLocaleString("en-US")}</td></tr>`).join("") +
        `</tbody></table>`;
  const decisions = audit.counts.length ? `<div class="chart wide" style="height:${80 + 26 * audit.counts.length}px"><canvas id="chart-audit" role="img" aria-label="audit decisions"></canvas></div>` : "";
  const more: string[] = [];
  if (audit.keptBySetting.length) more.push(`<div class="chart tall"><canvas id="chart-kept" role="img" aria-label="traces kept per setting"></canvas></div>`);
  if (audit.trivialRates.length) more.push(`<div class="chart tall"><canvas id="chart-trivial" role="img" aria-label="trivial-filter pass rates"></canvas></div>`);
  return factsList(audit.facts) + `<div class="split">${table}${decisions}</div>` + (more.length ? `<div class="grid two">${more.join("")}</div>` : "");
}

/** Chart labels are cut to a length that leaves the plot room (the tables keep the full text). */
function clip(label: string, max = 48): string {
  return label.length <= max ? label : label.slice(0, max - 1) + "…";
}

function chartData(model: ReportModel): ChartData {
  const histograms = model.passRates.filter((p) => p.rates.length > 0).map((p, i) => {
    const h = passRateHistogram(p.rates, p.samples, model.trivialThreshold);
    return { id: `chart-hist-${i}`, label: `${clip(p.label)} (${p.rates.length} problems)`, ...h, threshold: model.trivialThreshold };
  });
  const A = model.audit;
  if (A && A.trivialRates.length) {
    const threshold = A.trivialThreshold ?? model.trivialThreshold;
    const h = passRateHistogram(A.trivialRates, A.trivialSamples, threshold);
    histograms.push({ id: "chart-trivial", label: `trivial filter: pass rate per problem as the filter measured it (${A.trivialRates.length} problems)`, ...h, threshold });
  }
  const ks = [...new Set(model.curves.flatMap((c) => c.points.map((p) => p.k)))].sort((a, b) => a - b);
  const series = (metric: "passAtK" | "majAtK") =>
    model.curves.map((c) => ({ label: clip(c.label), values: ks.map((k) => c.points.find((p) => p.k === k)?.[metric] ?? null) }));
  const curves: ChartData["curves"] = ks.length
    ? [
        { id: "chart-passk", metric: "passAtK", title: "pass@k (unbiased) against k", ks, series: series("passAtK") },
        { id: "chart-majk", metric: "majAtK", title: "maj@k against k", ks, series: series("majAtK") },
      ]
    : [];
  const L = model.lengths;
  return {
    palette: PALETTE,
    histograms,
    curves,
    lengths: L && L.modes.length ? { id: "chart-lengths", bins: L.bins, edgeLabels: L.edges.slice(0, L.bins.length - 1).map(shortTokens), modes: L.modes } : null,
    audit: A && A.counts.length ? { id: "chart-audit", labels: A.counts.map((c) => clip(`${c.rule}: ${c.outcome}`)), counts: A.counts.map((c) => c.count) } : null,
    kept: A && A.keptBySetting.length ? { id: "chart-kept", labels: A.keptBySetting.map((k) => k.label), kept: A.keptBySetting.map((k) => k.kept), dropped: A.keptBySetting.map((k) => k.dropped) } : null,
  };
}

/** The page's drawing code: drawCharts' own source, called on the embedded data. */
function clientScript(): string {
  const source = drawCharts.toString();
  // esbuild-based runners (tsx, vitest) with keepNames wrap inner functions in __name(fn, "name"); the
  // page has no such helper, so give it an identity one when the source needs it (tsc output does not).
  const shim = source.includes("__name(") ? "var __name = function (fn) { return fn; };\n" : "";
  return `${shim}(${source})(JSON.parse(document.getElementById("report-data").textContent), window.Chart, document);`;
}

export function renderHtml(model: ReportModel): string {
  const data = chartData(model);
  const settingHistograms = data.histograms.filter((h) => h.id.startsWith("chart-hist-"));
  const emptySettings = model.passRates.filter((p) => p.rates.length === 0).map((p) => p.label);
  const histCharts =
    (settingHistograms.length
      ? `<div class="grid">${settingHistograms.map((h) => `<div class="chart"><canvas id="${h.id}" role="img" aria-label="pass-rate histogram"></canvas></div>`).join("")}</div>`
      : `<p class="missing">The summary has no per-problem pass rates.</p>`) +
    (emptySettings.length && settingHistograms.length ? `<p class="note">No attempts in: ${emptySettings.map(esc).join(", ")}.</p>` : "");
  const curveCharts = data.curves.length
    ? `<div class="grid two">${data.curves.map((c) => `<div class="chart tall"><canvas id="${c.id}" role="img" aria-label="${esc(c.title)}"></canvas></div>`).join("")}</div>`
    : `<p class="missing">The summary has no pass@k / maj@k values.</p>`;
  const warnings = model.warnings.length
    ? `<section class="warnings"><h2>Warnings</h2><ul>${model.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></section>`
    : "";
  const libraries = chartLibraries()
    .map((src) => `<script>${scriptForInline(src)}</script>`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${esc(model.title)}</h1>
<p class="sources">${model.sources.map((s) => `${esc(s.role)}: <code>${esc(s.path)}</code>`).join(" · ")}</p></header>
${warnings}
<section><h2>Settings</h2>
${factsList(model.totals)}
${settingsTable(model.settings, model.k)}
<p class="note">pass@k is the unbiased estimator 1 − C(n−c, k)/C(n, k); maj@k votes over the first k samples; k is the largest requested k that every problem of the row reaches; no answer is the share of attempts without a final answer.</p></section>
<section><h2>Pass rate per problem</h2>
<p class="note">Problems by the share of their attempts that were correct, per setting. The dashed line is the trivial-problem threshold (${esc(String(model.trivialThreshold))}): the filter drops a problem whose low-mode pass rate is above it.</p>
${histCharts}</section>
<section><h2>pass@k and maj@k against k</h2>
${curveCharts}</section>
<section><h2>Token lengths and buckets</h2>
${lengthsSection(model.lengths)}</section>
<section><h2>Filter and answer repair</h2>
${auditSection(model.audit)}</section>
<footer>veritrace report</footer>
${libraries}
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${clientScript()}</script>
</body>
</html>
`;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #0f172a; background: #f8fafc; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 12px; }
section { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.sources { color: #475569; margin: 0; word-break: break-all; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; background: #f1f5f9; padding: 1px 4px; border-radius: 3px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 12px; border-bottom: 1px solid #e2e8f0; text-align: right; }
th[scope=row], thead th:first-child, td:first-child, .audit td:nth-child(2), .audit th:nth-child(2) { text-align: left; }
thead th { background: #f1f5f9; }
tr.all { font-weight: 600; background: #f8fafc; }
.note { color: #475569; font-size: 13px; }
.missing { color: #92400e; background: #fffbeb; border: 1px solid #fde68a; padding: 8px 12px; border-radius: 6px; }
.grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
.grid.two { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.chart { position: relative; height: 220px; }
.chart.tall { height: 340px; }
.chart.wide { height: 320px; min-width: 0; flex: 1; }
.split { display: flex; gap: 24px; align-items: flex-start; }
.facts { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 0 0 12px; }
.facts div { background: #f1f5f9; padding: 6px 10px; border-radius: 6px; }
.facts dt { font-size: 12px; color: #475569; }
.facts dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.warnings { border-color: #fca5a5; background: #fef2f2; }
footer { color: #94a3b8; font-size: 12px; text-align: center; }
@media (max-width: 800px) { .grid, .grid.two { grid-template-columns: 1fr; } .split { flex-direction: column; } }
`;
