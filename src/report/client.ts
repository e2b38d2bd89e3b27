// The code that draws the charts in the browser. It is embedded in the page as source text
// (drawCharts.toString()), so it must be self-contained: no imports, no references to this module.

/** Data the page's charts are drawn from (embedded as JSON; built by html.ts from the ReportModel). */
export interface ChartData {
  palette: string[];
  histograms: Array<{ id: string; label: string; bins: string[]; counts: number[]; thresholdAt: number; threshold: number; axisTitle: string }>;
  curves: { id: string; metric: "passAtK" | "majAtK"; title: string; ks: number[]; series: Array<{ label: string; values: Array<number | null> }> }[];
  lengths: { id: string; bins: string[]; edgeLabels: string[]; modes: Array<{ mode: string; counts: number[] }> } | null;
  audit: { id: string; labels: string[]; counts: number[] } | null;
  kept: { id: string; labels: string[]; kept: number[]; dropped: number[] } | null;
}

/** The two browser globals used, passed in so that this module type-checks without the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ChartConstructor = any;
interface PageDocument {
  getElementById(id: string): unknown;
}

export function drawCharts(data: ChartData, Chart: ChartConstructor, doc: PageDocument): void {
  Chart.defaults.animation = false;
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif";
  Chart.defaults.color = "#334155";
  Chart.defaults.maintainAspectRatio = false;
  const canvas = (id: string) => doc.getElementById(id);
  const percent = (v: number) => Math.round(v * 100) + "%";

  for (const h of data.histograms) {
    new Chart(canvas(h.id), {
      type: "bar",
      data: { labels: h.bins, datasets: [{ label: "problems", data: h.counts, backgroundColor: "#6366f1", barPercentage: 1, categoryPercentage: 0.95 }] },
      options: {
        layout: { padding: { right: 8 } },
        plugins: {
          legend: { display: false },
          title: { display: true, text: h.label },
          annotation: {
            annotations: {
              threshold: {
                type: "line",
                scaleID: "x",
                value: h.thresholdAt,
                borderColor: "#dc2626",
                borderWidth: 2,
                borderDash: [6, 4],
                label: { display: true, content: "trivial > " + h.threshold, position: "start", backgroundColor: "#dc2626", font: { size: 10 } },
              },
            },
          },
        },
        scales: {
          x: { title: { display: true, text: h.axisTitle }, ticks: { maxRotation: 0, autoSkip: true } },
          y: { beginAtZero: true, title: { display: true, text: "problems" }, ticks: { precision: 0 } },
        },
      },
    });
  }

  for (const c of data.curves) {
    new Chart(canvas(c.id), {
      type: "line",
      data: {
        labels: c.ks.map(String),
        datasets: c.series.map((s, i) => ({
          label: s.label,
          data: s.values,
          borderColor: data.palette[i % data.palette.length],
          backgroundColor: data.palette[i % data.palette.length],
          borderWidth: s.label === "all" ? 3 : 1.5,
          pointRadius: 3,
          spanGaps: true,
        })),
      },
      options: {
        plugins: { title: { display: true, text: c.title }, legend: { position: "bottom" } },
        scales: {
          x: { title: { display: true, text: "k" } },
          y: { min: 0, max: 1, ticks: { callback: percent }, title: { display: true, text: c.metric === "passAtK" ? "pass@k" : "maj@k" } },
        },
      },
    });
  }

  if (data.lengths) {
    const L = data.lengths;
    const edgeLines: Record<string, object> = {};
    L.edgeLabels.forEach((label, i) => {
      edgeLines["edge" + i] = {
        type: "line",
        scaleID: "x",
        value: i + 0.5,
        borderColor: "#0f172a",
        borderWidth: 1,
        borderDash: [3, 3],
        label: { display: true, content: label, position: "start", backgroundColor: "#0f172a", font: { size: 10 } },
      };
    });
    new Chart(canvas(L.id), {
      type: "bar",
      data: {
        labels: L.bins,
        datasets: L.modes.map((m, i) => ({ label: m.mode, data: m.counts, backgroundColor: data.palette[i % data.palette.length] })),
      },
      options: {
        plugins: { title: { display: true, text: "traces per length bucket, by reasoning mode" }, legend: { position: "bottom" }, annotation: { annotations: edgeLines } },
        scales: {
          x: { title: { display: true, text: "tokens (bucket edges dashed)" } },
          y: { beginAtZero: true, title: { display: true, text: "traces" }, ticks: { precision: 0 } },
        },
      },
    });
  }

  if (data.audit) {
    const A = data.audit;
    new Chart(canvas(A.id), {
      type: "bar",
      data: { labels: A.labels, datasets: [{ label: "decisions", data: A.counts, backgroundColor: "#0ea5e9" }] },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false }, title: { display: true, text: "decisions by rule and outcome" } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        datasets: { bar: { maxBarThickness: 22 } },
      },
    });
  }

  if (data.kept) {
    const K = data.kept;
    new Chart(canvas(K.id), {
      type: "bar",
      data: {
        labels: K.labels,
        datasets: [
          { label: "kept (answer matches the final reference)", data: K.kept, backgroundColor: "#16a34a" },
          { label: "dropped", data: K.dropped, backgroundColor: "#cbd5e1" },
        ],
      },
      options: {
        plugins: { title: { display: true, text: "traces kept per setting (problems that passed the filter)" }, legend: { position: "bottom" } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "traces" } } },
      },
    });
  }
}
