// `veritrace bench`: verify, grade and sandbox throughput over a sweep of thread counts, scaling
// efficiency against one thread, and a Universal Scalability Law fit with predictions (docs/benchmarks.md).
import { availableParallelism } from "node:os";
import { COMPONENTS, defaultThreadCounts, runBench, type BenchReport, type Component } from "../../bench/index.js";
import { parseCommandArgs, parseInteger, parseIntList, parsePositiveNumber, progress, runCommand, UsageError, writeJson } from "../util.js";

export const summary = "measure verify, grade and sandbox throughput across thread counts and fit a scaling model";

export const usage = `usage: veritrace bench [--threads 1,2,4,...] [--seconds N] [--only verify,grade,sandbox] [--json]

Measures, for each thread count, the steady throughput of
  verify   verifyBatch on N worker threads over a seeded typical mix of answer pairs   (pairs/s)
  grade    the grading pipeline with N worker threads over seeded Nemotron-Math rows   (traces/s)
  sandbox  a Pyodide pool of N workers running trivial Python cells                   (cells/s)
and prints the scaling efficiency against one thread. It then fits the Universal Scalability Law
X(N) = λN / (1 + σ(N−1) + κN(N−1)) to each component's points (least squares; with only two thread
counts κ is fixed at 0) and prints the PREDICTED throughput at 16 and 64 threads. See docs/benchmarks.md.

options:
  --threads <list>    thread counts (default: 1, 2, 4, ... up to this machine's ${availableParallelism()} cores)
  --seconds <n>       measured seconds per point, after start-up and warm-up (default: 3)
  --repeat <n>        measure each point n times and keep the best, for a busy machine (default: 1)
  --only <list>       components to run (default: verify,grade,sandbox)
  --seed <n>          workload seed (default: 1)
  --json              print the full results as JSON on stdout
  -h, --help          show this help

examples:
  veritrace bench
  veritrace bench --threads 1,2,4,8,16,32,64 --seconds 5 --json > bench.json
  veritrace bench --only verify --threads 1,2 --repeat 3
`;

const OPTIONS = {
  threads: { type: "string" },
  seconds: { type: "string" },
  repeat: { type: "string" },
  only: { type: "string" },
  seed: { type: "string" },
  json: { type: "boolean" },
} as const;

export function run(argv: string[]): Promise<number> {
  return runCommand("bench", async () => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const threads = values.threads ? parseIntList("threads", values.threads) : defaultThreadCounts();
    const seconds = values.seconds ? parsePositiveNumber("seconds", values.seconds) : 3;
    const repeat = values.repeat ? parseInteger("repeat", values.repeat, 1) : 1;
    const seed = values.seed ? parseInteger("seed", values.seed, 0) : 1;
    const components = values.only ? parseComponents(values.only) : COMPONENTS;

    const bar = progress();
    const report = await runBench({ threads, seconds, repeat, components, seed, onStep: (c, n) => bar.update(`bench: ${c} at ${n} thread${n > 1 ? "s" : ""}…`) });
    bar.done();
    if (values.json) writeJson(report);
    else process.stdout.write(formatReport(report));
    // The run failed only if nothing at all could be measured.
    return report.results.some((r) => r.available) ? 0 : 1;
  });
}

function parseComponents(text: string): Component[] {
  const out: Component[] = [];
  for (const name of text.split(",").map((s) => s.trim())) {
    if (!(COMPONENTS as readonly string[]).includes(name)) throw new UsageError(`--only: unknown component '${name}' (${COMPONENTS.join(", ")})`);
    if (!out.includes(name as Component)) out.push(name as Component);
  }
  return out;
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

export function formatReport(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(`veritrace bench: ${r.machine.availableParallelism} cores (${r.machine.cpuModel}), node ${r.machine.node}, ${r.seconds} s per point${r.repeat > 1 ? `, best of ${r.repeat}` : ""}`);
  lines.push("");
  const rows: string[][] = [["component", "threads", "throughput", "", "cores used", "per core-s", `efficiency vs ${r.baselineThreads}`]];
  for (const m of r.results) {
    if (m.available) {
      const cores = m.coresUsed === null ? "–" : m.coresUsed.toFixed(2);
      const perCore = m.coresUsed ? fmt(m.throughput / m.coresUsed) : "–";
      rows.push([m.component, String(m.threads), fmt(m.throughput), m.unit, cores, perCore, `${(m.efficiency * 100).toFixed(0)}%`]);
    } else rows.push([m.component, String(m.threads), "not available", "", "", "", m.reason]);
  }
  const last = rows[0].length - 1;
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (c === last ? 0 : row[c].length))));
  const right = (c: number) => c === 2 || c === 4 || c === 5;
  for (const row of rows) lines.push(row.map((cell, c) => (right(c) ? cell.padStart(widths[c]) : c === last ? cell : cell.padEnd(widths[c]))).join("  ").trimEnd());
  lines.push("(cores used: CPU seconds of the process per wall second while measuring, below the thread count when the machine is busy;");
  lines.push(" per core-s: throughput per CPU second of the process, what the work costs whatever the load)");
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push("");
  lines.push("Scaling model: Universal Scalability Law X(N) = λN / (1 + σ(N−1) + κN(N−1)), least squares.");
  for (const model of r.models) {
    if (!model.fit) {
      const measured = r.results.some((m) => m.component === model.component && m.available);
      lines.push(`  ${model.component}: no fit (${measured ? "needs at least two thread counts" : "not measured"})`);
      continue;
    }
    const f = model.fit;
    lines.push(`  ${model.component}: λ = ${fmt(f.lambda)} ${model.unit}, σ = ${f.sigma.toFixed(4)}, κ = ${f.kappa.toExponential(2)}, rmse = ${fmt(f.rmse)}${f.notes.length ? ` (${f.notes.join("; ")})` : ""}`);
    const preds = model.predictions.map((p) => `${p.threads} threads ≈ ${fmt(p.throughput)} ${model.unit}`).join(", ");
    lines.push(`    PREDICTION (extrapolated, not measured): ${preds}${model.peakThreads !== null ? `; peak near ${model.peakThreads.toFixed(0)} thread${model.peakThreads < 1.5 ? " (more threads never help)" : "s"}` : ""}`);
  }
  return lines.join("\n") + "\n";
}
