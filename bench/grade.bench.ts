// npm run bench:grade [-- --size 1GB --threads 1,2 --gzip]
// npm run bench:grade -- --problems 30000 [--samples 8 --threads 1]
//
// Generates a dump of long Nemotron-Math-v2 traces (median about 20K tokens ≈ 80K characters of
// reasoning, tool calls and replies included; seeded, in bench/out/, reused when present), then runs
// `veritrace grade` end to end on it (read, parse, extract, verify, write verdict rows and the summary)
// at each thread count, and prints MB/s (of input), MB/s per thread, traces/s and the peak RSS of the
// whole process (main thread and workers).
//
// --problems N instead generates N distinct problems × 6 settings × S samples of short traces, setting by
// setting (bench/many-problems.ts): the run's memory then goes to per-problem state and the summary, and
// the figures are per problem count (with the summary's size), not per byte.
import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { loadBenchmarks, makeAttempt, makeMessages, rng, uuidFor, MODES } from "../examples/make-example-dump.js";
import { distinctAnswers, generateManyProblems, manyProblemsFileName } from "./many-problems.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text.trim());
  if (!m) throw new Error(`--size: '${text}' is not a size like 1GB or 200MB`);
  const unit = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[(m[2] ?? "B").toUpperCase() as "B" | "KB" | "MB" | "GB"];
  return Math.round(Number(m[1]) * unit);
}

/** Log-normal reasoning sizes with a median of `median` characters (σ = 0.6: 5%–95% ≈ 0.37×–2.7×). */
function reasoningChars(r: () => number, median: number): number {
  const z = Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
  return Math.max(2000, Math.round(median * Math.exp(0.6 * z)));
}

async function generate(file: string, bytes: number, gzip: boolean, seed: number): Promise<{ rows: number }> {
  const r = rng(seed);
  const problems = loadBenchmarks(resolve(root, "../shared/corpus/benchmarks"));
  const tmp = file + ".tmp";
  const out = createWriteStream(tmp);
  const gz = gzip ? createGzip({ level: 1 }) : null;
  if (gz) gz.pipe(out);
  const sink = gz ?? out;
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    const problem = problems[Math.floor(r() * problems.length)];
    const tool = r() < 0.5;
    const mode = MODES[Math.floor(r() * 3)];
    const uuid = uuidFor(`${problem.source}/${problem.id}`);
    const spec = makeAttempt(problem, uuid, tool, 0.6, r, reasoningChars(r, 80_000));
    const line =
      JSON.stringify({
        uuid,
        problem: problem.problem,
        expected_answer: problem.answer.replace(/^\$+|\$+$/g, ""),
        messages: makeMessages(spec, r),
        metadata: {},
        tools: tool ? [{ type: "function", function: { name: "stateful_python_code_exec" } }] : [],
        reasoning_effort: mode,
      }) + "\n";
    written += Buffer.byteLength(line);
    rows++;
    if (!sink.write(line)) await once(sink, "drain");
  }
  sink.end();
  await once(out, "finish");
  renameSync(tmp, file);
  return { rows };
}

interface RunFigures {
  threads: number;
  seconds: number;
  /** CPU time of the whole process (all threads): per-core throughput that does not depend on other load. */
  cpuSeconds: number;
  maxRssMB: number;
  rows: number;
  summaryBytes: number;
  /** The CLI's error when it exited non-zero after running (e.g. a summary too large for one string). */
  failure: string | null;
}

/** Lines of a file, read in chunks: a summary or verdict file of millions of problems may not fit a string. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

async function runGrade(file: string, threads: number, outDir: string, fallback: boolean): Promise<RunFigures> {
  // The CLI's own entry, run in a child that reports its peak RSS (main thread and workers) at exit.
  const script = `
    const { main } = await import(${JSON.stringify(join(root, "dist/cli/main.js"))});
    const t0 = process.hrtime.bigint();
    const code = await main(${JSON.stringify(["grade", file, "--threads", String(threads), "--out", join(outDir, "verdicts.jsonl"), "--summary", join(outDir, "summary.json"), ...(fallback ? [] : ["--no-fallback"])])});
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage();
    process.stderr.write("BENCH " + JSON.stringify({ code, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKB: process.resourceUsage().maxRSS }) + "\\n");
    process.exit(code);`;
  const verdicts = join(outDir, "verdicts.jsonl");
  const summary = join(outDir, "summary.json");
  rmSync(verdicts, { force: true }); // never count a previous run's output
  rmSync(summary, { force: true });
  const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 1 << 30 });
  const line = res.stderr.split("\n").find((l) => l.startsWith("BENCH "));
  if (!line) throw new Error(`grade failed (exit ${res.status}${res.signal ? `, ${res.signal}` : ""}):\n${res.stderr}`);
  const figures = JSON.parse(line.slice(6));
  const base = { threads, seconds: figures.seconds, cpuSeconds: figures.cpuSeconds, maxRssMB: figures.maxRssKB / 1024 };
  if (res.status !== 0) {
    const said = res.stderr.split("\n").filter((l) => l.startsWith("veritrace"));
    return { ...base, rows: 0, summaryBytes: 0, failure: `exit ${res.status}: ${said.join("; ") || res.stderr.trim()}` };
  }
  // One verdict row per trace (the summary's totals would need parsing the whole summary).
  return { ...base, rows: await countLines(verdicts), summaryBytes: statSync(summary).size, failure: null };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "1GB" },
      threads: { type: "string", default: "1,2" },
      gzip: { type: "boolean", default: false },
      seed: { type: "string", default: "11" },
      dir: { type: "string", default: join(here, "out") },
      // "off": pairs the native engine cannot decide are too_complex at once, without the symbolic fallback.
      fallback: { type: "string", default: "on" },
      // Many-problems mode (see the top): N problems, S samples per problem and setting.
      problems: { type: "string" },
      samples: { type: "string", default: "8" },
    },
  });
  const threads = values.threads!.split(",").map(Number);
  if (!existsSync(join(root, "dist/cli/main.js"))) throw new Error("dist/ is missing: run npm run build:ts first");
  mkdirSync(values.dir!, { recursive: true });
  if (values.problems !== undefined) {
    if (values.gzip) throw new Error("--problems writes plain JSONL: --gzip is for the --size mode");
    return manyProblems(values as Required<typeof values>, threads);
  }
  const bytes = parseSize(values.size!);
  const file = join(values.dir!, `grade-bench-${values.size}-s${values.seed}.jsonl${values.gzip ? ".gz" : ""}`);
  if (!existsSync(file)) {
    const t0 = Date.now();
    process.stderr.write(`generating ${file} ...\n`);
    const { rows } = await generate(file, bytes, values.gzip!, Number(values.seed));
    process.stderr.write(`  ${rows} traces in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const size = statSync(file).size;
  const rawBytes = values.gzip ? bytes : size;
  console.log(`input: ${file} (${(size / 1e6).toFixed(1)} MB on disk${values.gzip ? `, ≈${(rawBytes / 1e6).toFixed(0)} MB of JSONL` : ""})`);
  if (values.fallback === "off") console.log("(--no-fallback: undecided pairs are too_complex without the symbolic fallback)");
  console.log("threads  seconds   MB/s  MB/s/thread  traces/s  CPU s  MB/CPU-s  peak RSS");
  for (const t of threads) {
    const f = await runGrade(file, t, values.dir!, values.fallback !== "off");
    if (f.failure !== null) throw new Error(`grade failed (${f.failure})`);
    const mbps = rawBytes / 1e6 / f.seconds;
    console.log(
      `${String(t).padStart(7)}  ${f.seconds.toFixed(2).padStart(7)}  ${mbps.toFixed(1).padStart(5)}  ${(mbps / t).toFixed(1).padStart(11)}  ` +
        `${Math.round(f.rows / f.seconds).toString().padStart(8)}  ${f.cpuSeconds.toFixed(1).padStart(5)}  ${(rawBytes / 1e6 / f.cpuSeconds).toFixed(1).padStart(8)}  ${f.maxRssMB.toFixed(0).padStart(5)} MB`,
    );
  }
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: '${text}' is not a positive integer`);
  return n;
}

async function manyProblems(
  values: { problems: string; samples: string; seed: string; dir: string; fallback: string },
  threads: number[],
): Promise<void> {
  const o = { problems: positiveInt("--problems", values.problems), samples: positiveInt("--samples", values.samples), seed: Number(values.seed) };
  const file = join(values.dir, manyProblemsFileName(o));
  if (!existsSync(file)) {
    const t0 = Date.now();
    process.stderr.write(`generating ${file} ...\n`);
    const { rows, bytes } = await generateManyProblems(file, o);
    process.stderr.write(`  ${rows} traces, ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const size = statSync(file).size;
  const traces = o.problems * 6 * o.samples;
  const d = distinctAnswers(o, 1000);
  console.log(`input: ${file}`);
  console.log(
    `  ${o.problems} problems × 6 settings × ${o.samples} samples = ${traces} traces, ${(size / 1e6).toFixed(1)} MB (${Math.round(size / traces)} B per trace); ` +
      `distinct answers per problem (first 1000 problems): mean ${d.mean.toFixed(1)}, 5%–95% ${d.p5}–${d.p95}`,
  );
  if (values.fallback === "off") console.log("(--no-fallback: undecided pairs are too_complex without the symbolic fallback)");
  console.log("threads  problems    traces      MB  seconds  traces/s   MB/s  CPU s  peak RSS  summary");
  for (const t of threads) {
    const f = await runGrade(file, t, values.dir, values.fallback !== "off");
    if (f.failure !== null) {
      // Reported as a figure: at many problems, failing (e.g. a summary past V8's string limit) is the finding.
      console.log(`${String(t).padStart(7)}  FAILED after ${f.seconds.toFixed(2)} s (CPU ${f.cpuSeconds.toFixed(1)} s), peak RSS ${f.maxRssMB.toFixed(0)} MB: ${f.failure}`);
      continue;
    }
    if (f.rows !== traces) throw new Error(`grade wrote ${f.rows} verdict rows for ${traces} traces`);
    console.log(
      `${String(t).padStart(7)}  ${String(o.problems).padStart(8)}  ${String(traces).padStart(8)}  ${(size / 1e6).toFixed(0).padStart(6)}  ` +
        `${f.seconds.toFixed(2).padStart(7)}  ${Math.round(traces / f.seconds).toString().padStart(8)}  ${(size / 1e6 / f.seconds).toFixed(1).padStart(5)}  ` +
        `${f.cpuSeconds.toFixed(1).padStart(5)}  ${f.maxRssMB.toFixed(0).padStart(5)} MB  ${(f.summaryBytes / 1e6).toFixed(1)} MB`,
    );
  }
}

await main();
