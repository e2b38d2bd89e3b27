// The fallback as verify() calls it: fallbackVerify through its worker thread (Atomics.wait round trip,
// the library's limit, worker replacement), on the final answers of the verdict cases.
//   npm run bench:fallback [-- --budget 200] [-- path/to/verdict_cases.jsonl]
// Prints the start-up time of the worker, the statuses, p50/p99/max wall time per call, and how many calls
// ran out of budget (each one replaces the worker; the replacement's load is paid by the next call).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { extractAnswer } from "../src/extract/index.js";
import { fallbackStats, fallbackVerify, shutdownFallback } from "../src/verify/fallback.js";

const { values, positionals } = parseArgs({ options: { budget: { type: "string", default: "200" } }, allowPositionals: true });
const budget = Number(values.budget);
const casesPath = positionals[0] ?? new URL("../../shared/corpus/verdict_cases.jsonl", import.meta.url).pathname;
const pairs = readFileSync(casesPath, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { gold: string; pred: string })
  .map((c) => [extractAnswer(String(c.gold)).answer, extractAnswer(String(c.pred)).answer] as const)
  .filter((p): p is readonly [string, string] => p[0] !== null && p[1] !== null);

let t0 = performance.now();
fallbackVerify("1", "1", 10_000);
const startup = performance.now() - t0;

const counts = { correct: 0, incorrect: 0, undecided: 0 };
const times: number[] = [];
for (const [gold, pred] of pairs) {
  t0 = performance.now();
  const r = fallbackVerify(gold, pred, budget);
  times.push(performance.now() - t0);
  counts[r.status]++;
}
times.sort((a, b) => a - b);
const pct = (p: number): string => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(2);
const stats = fallbackStats();
shutdownFallback();

console.log(`fallbackVerify on ${pairs.length} verdict-case answer pairs, budget ${budget} ms`);
console.log(`worker start-up (first call): ${startup.toFixed(0)} ms`);
console.log(`statuses: correct ${counts.correct}, incorrect ${counts.incorrect}, undecided ${counts.undecided}`);
console.log(`wall time per call: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${times[times.length - 1]!.toFixed(2)} ms`);
console.log(`out of budget: ${stats.timeouts} (workers started: ${stats.workersStarted})`);
