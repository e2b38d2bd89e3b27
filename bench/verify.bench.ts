// npm run bench:verify [-- --pairs 100000 --rss 10000000 --rounds 3]
// Prints: pairs/s and p50/p99 latency single-threaded on (a) the verdict cases and (b) a seeded mix
// of typical pairs; throughput with 1 and 2 worker threads; resident memory across many pairs; and
// the time of each adversarial input. Figures depend on the machine's load: run on an idle machine.
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Worker } from "node:worker_threads";
import { extractSide } from "../src/verify/answers.js";
import { packPairs, verify, verifyBatch, verifyPacked } from "../src/verify/index.js";
import { generateTypicalPairs, type Pair } from "./gen-typical-pairs.js";

interface WorkerJob {
  bytes: Uint8Array;
  offsets: Uint32Array;
  rounds: number;
  addonPath: string;
}

// Worker threads run plain JavaScript over the addon itself (tsx does not load into workers on
// Node 20): each verifies its share of packed pairs `rounds` times and reports the elapsed time.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const addon = require(workerData.addonPath);
const { bytes, offsets, rounds } = workerData;
addon.verifyPacked(bytes, offsets, 6, 1, false); // warm-up
parentPort.once("message", () => {
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) addon.verifyPacked(bytes, offsets, 6, 1, false);
  parentPort.postMessage(performance.now() - t0);
});
`;
const ADDON_PATH = fileURLToPath(new URL("../build/Release/veritrace.node", import.meta.url));

await main();

/** Runs `fn` and returns [wall seconds, CPU seconds of this process]: on a shared machine the CPU
 *  figure is the one that says what one core does. */
function timed(fn: () => void): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1e6];
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Per-call latency of verify() over the pairs, in microseconds (sorted). */
function latencies(pairs: readonly Pair[]): Float64Array {
  const out = new Float64Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    const t0 = process.hrtime.bigint();
    verify(p.gold, p.pred, { fallback: false });
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out.sort();
}

async function workers(count: number, bytes: Uint8Array, offsets: Uint32Array, pairs: number, rounds: number): Promise<number> {
  // Split the packed pairs into `count` contiguous shares.
  const per = Math.ceil(pairs / count);
  const jobs: Worker[] = [];
  for (let w = 0; w < count; w++) {
    const lo = w * per, hi = Math.min(pairs, lo + per);
    const off = offsets.slice(2 * lo, 2 * hi + 1);
    const base = off[0]!;
    for (let k = 0; k < off.length; k++) off[k] = off[k]! - base;
    const data: WorkerJob = { bytes: bytes.slice(base, offsets[2 * hi]), offsets: off, rounds, addonPath: ADDON_PATH };
    jobs.push(new Worker(WORKER_SOURCE, { eval: true, workerData: data }));
  }
  await Promise.all(jobs.map((w) => new Promise((resolve) => w.once("online", resolve))));
  await new Promise((r) => setTimeout(r, 300)); // let warm-up finish
  const t0 = performance.now();
  const done = jobs.map((w) => new Promise<number>((resolve) => w.once("message", resolve)));
  jobs.forEach((w) => w.postMessage("go"));
  await Promise.all(done);
  const elapsed = performance.now() - t0;
  await Promise.all(jobs.map((w) => w.terminate()));
  return (pairs * rounds) / (elapsed / 1000);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pairs: { type: "string", default: "100000" },
      rss: { type: "string", default: "2000000" },
      rounds: { type: "string", default: "3" },
    },
  });
  const nPairs = Number(values.pairs), rssPairs = Number(values.rss), rounds = Number(values.rounds);
  const rows: string[][] = [];
  const row = (...cells: string[]) => rows.push(cells);

  // (a) the verdict cases
  const casesPath = fileURLToPath(new URL("../../shared/corpus/verdict_cases.jsonl", import.meta.url));
  const cases = readFileSync(casesPath, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Pair);
  verifyBatch(cases, { fallback: false });
  const reps = 20;
  let [wall, cpu] = timed(() => {
    for (let r = 0; r < reps; r++) verifyBatch(cases, { fallback: false });
  });
  const caseLat = latencies(cases);
  row("verdict cases (with extraction), verifyBatch", String(cases.length), fmt((cases.length * reps) / wall), fmt((cases.length * reps) / cpu), fmt(quantile(caseLat, 0.5), 1), fmt(quantile(caseLat, 0.99), 1));

  // (b) typical pairs
  const typical = generateTypicalPairs(nPairs);
  // Batches of 1,000 pairs, as a grader sends them (one huge batch measures the garbage collector instead),
  // after one full warm-up pass so that the figure is the steady state.
  const BATCH = 1000;
  const batches: Pair[][] = [];
  for (let i = 0; i < typical.length; i += BATCH) batches.push(typical.slice(i, i + BATCH));
  for (const b of batches) verifyBatch(b, { fallback: false });
  [wall, cpu] = timed(() => {
    for (const b of batches) verifyBatch(b, { fallback: false });
  });
  const typLat = latencies(typical);
  row("typical mix (with extraction), verifyBatch of 1,000", fmt(nPairs), fmt(nPairs / wall), fmt(nPairs / cpu), fmt(quantile(typLat, 0.5), 1), fmt(quantile(typLat, 0.99), 1));

  // the hot path: extracted answers packed once, one native call per batch
  const golds = typical.map((p) => extractSide(p.gold, "loose").answer ?? "");
  const preds = typical.map((p) => extractSide(p.pred, "loose").answer ?? "");
  const { bytes, offsets } = packPairs(golds, preds);
  verifyPacked(bytes, offsets);
  [wall, cpu] = timed(() => {
    for (let r = 0; r < rounds; r++) verifyPacked(bytes, offsets);
  });
  // native latency per pair: a batch of one, timed individually
  const single = new Float64Array(Math.min(nPairs, 20000));
  for (let i = 0; i < single.length; i++) {
    const one = packPairs([golds[i]!], [preds[i]!]);
    const s = process.hrtime.bigint();
    verifyPacked(one.bytes, one.offsets);
    single[i] = Number(process.hrtime.bigint() - s) / 1000;
  }
  single.sort();
  row("typical mix, extracted, verifyPacked (hot path)", fmt(nPairs), fmt((nPairs * rounds) / wall), fmt((nPairs * rounds) / cpu), fmt(quantile(single, 0.5), 1), fmt(quantile(single, 0.99), 1));

  for (const n of [1, 2]) {
    const c0 = process.cpuUsage();
    const rate = await workers(n, bytes, offsets, nPairs, rounds);
    const c = process.cpuUsage(c0);
    const perCpu = (nPairs * rounds) / ((c.user + c.system) / 1e6);
    row(`typical mix, verifyPacked, ${n} worker thread${n > 1 ? "s" : ""}`, fmt(nPairs * rounds), fmt(rate), `(${fmt(perCpu)})`, "-", "-");
  }

  console.log(`\nveritrace verify benchmark (node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}; latency = one call, µs;`);
  console.log(`pairs/CPU-s = pairs per second of CPU time, what one core does; the worker rows include thread start-up in it)\n`);
  const header = ["workload", "pairs", "pairs/s (wall)", "pairs/CPU-s", "p50 µs", "p99 µs"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
  rows.forEach((r) => console.log(line(r)));

  // resident memory across many pairs
  console.log(`\nresident memory over ${fmt(rssPairs)} pairs (verifyPacked in batches of ${fmt(nPairs)}, sampled after a GC):`);
  // Collect garbage before each sample (result typed arrays are freed by V8 when it pleases): what
  // stays is what the engine keeps.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const mb = () => {
    gc();
    return process.memoryUsage().rss / 1048576;
  };
  const samples: number[] = [mb()];
  let done = 0;
  const step = Math.max(nPairs, Math.floor(rssPairs / 10));
  let nextSample = step;
  const t0 = performance.now();
  while (done < rssPairs) {
    verifyPacked(bytes, offsets);
    done += nPairs;
    if (done >= nextSample) {
      samples.push(mb());
      nextSample += step;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`  RSS MB at each tenth: ${samples.map((s) => s.toFixed(1)).join(" ")}`);
  console.log(`  first ${samples[0]!.toFixed(1)} MB, last ${samples[samples.length - 1]!.toFixed(1)} MB, max ${Math.max(...samples).toFixed(1)} MB; ${fmt(done / secs)} pairs/s`);

  // adversarial inputs
  console.log("\nadversarial inputs (verify, bare answers, no fallback):");
  const adversarial: Array<[string, string, string]> = [
    ["10^{10^{10}}", "10^{10^{10}}", "10^{10^{10}}+1"],
    ["(2^{2^{2^{2^{2}}}})!", "(2^{2^{2^{2^{2}}}})!", "1"],
    ["a million nested braces", "1", "{".repeat(1_000_000) + "1" + "}".repeat(1_000_000)],
    ["a megabyte of digits", "1", "9".repeat(1 << 20)],
    ["100,000 nested parentheses", "1", "(".repeat(100_000) + "1" + ")".repeat(100_000)],
    ["\\frac nested 10,000 deep", "1", "\\frac{".repeat(10_000) + "1" + "}{2}".repeat(10_000)],
    ["power tower 2^2^...^2 (5,000)", "1", "2^".repeat(5_000) + "2"],
    ["random bytes (8 KiB)", "1", Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24)).toString("latin1")],
    ["invalid UTF-8", "1", "\u0000"],
  ];
  for (const [name, gold, pred] of adversarial) {
    let status: string;
    const s = process.hrtime.bigint();
    if (name === "invalid UTF-8") {
      const bad = new Uint8Array([0x31, 0x31, 0xff, 0xfe, 0xc0, 0x80]);
      status = ["correct", "incorrect", "no_answer", "unparsable", "too_complex", "undecided"][verifyPacked(bad, new Uint32Array([0, 1, 6])).status[0]!]!;
    } else {
      status = verify(gold, pred, { fallback: false, extraction: "off" }).status;
    }
    const ms = Number(process.hrtime.bigint() - s) / 1e6;
    console.log(`  ${name.padEnd(32)} ${status.padEnd(12)} ${ms.toFixed(2)} ms`);
  }
}
