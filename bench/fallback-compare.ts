// Measures the candidate symbolic libraries for the fallback on the verdict cases
// (shared/corpus/verdict_cases.jsonl): agreement with `expected`, decided pairs, errors, p50/p99 ms per pair.
//   npm run bench:fallback-compare [-- path/to/verdict_cases.jsonl]
//
// Every library gets the same pairs and the same strategy, as far as its API allows: the final answer of each
// side (src/extract, as verify() does), then parse ▸ structural/symbolic equality ▸ numeric evaluation at
// seeded points. compute-engine reads LaTeX itself (through the fallback's own comparer, in-process, without
// the worker so that only the library is timed); nerdamer through its convertFromLaTeX; mathjs has no LaTeX
// reader, so it gets a small LaTeX-to-plain conversion (below). An undecided pair counts as a disagreement.
// With the native engine built, it also counts how many verdict cases verify() hands to the fallback.
// Each library runs in its own worker thread (bench/fallback-compare-worker.ts); a pair that takes longer than
// PAIR_TIMEOUT_MS is cut off (the worker is replaced) and counted as a timeout, and as a disagreement.
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { extractAnswer } from "../src/extract/index.js";
import type { Decision } from "./fallback-compare-worker.js";

const PAIR_TIMEOUT_MS = 5_000;
const LIBRARIES = ["compute-engine", "nerdamer", "mathjs"] as const;

interface Case {
  gold: string;
  pred: string;
  expected: boolean;
  kind?: string;
}

const casesPath = process.argv[2] ?? new URL("../../shared/corpus/verdict_cases.jsonl", import.meta.url).pathname;
const cases: Case[] = readFileSync(casesPath, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

// ---------------------------------------------------------------------------------------------- run

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const pairs = cases.map((c) => ({
  ...c,
  g: extractAnswer(String(c.gold)).answer,
  p: extractAnswer(String(c.pred)).answer,
}));

/** A library in a worker thread; decide() resolves null when the pair outlives PAIR_TIMEOUT_MS. */
class LibraryWorker {
  private worker!: Worker;
  name = "";
  constructor(private readonly library: string) {}

  async start(): Promise<void> {
    // Node 20 does not start a worker from a .ts entry even with tsx loaded: import it from a JS stub.
    const entry = new URL("./fallback-compare-worker.ts", import.meta.url).href;
    const tsxApi = import.meta.resolve("tsx/esm/api");
    this.worker = new Worker(`import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`, {
      eval: true,
      workerData: { library: this.library },
    });
    this.name = await new Promise<string>((resolve, reject) => {
      this.worker.once("message", (m: { ready: string }) => resolve(m.ready));
      this.worker.once("error", reject);
    });
  }

  async decide(i: number, gold: string, pred: string): Promise<{ decision: Decision; error: boolean; ms: number } | null> {
    const reply = new Promise<{ decision: Decision; error: boolean; ms: number }>((resolve) => this.worker.once("message", resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PAIR_TIMEOUT_MS)));
    this.worker.postMessage({ i, gold, pred });
    const result = await Promise.race([reply, timeout]);
    clearTimeout(timer);
    if (result === null) {
      await this.worker.terminate();
      await this.start();
    }
    return result;
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

const rows: string[][] = [];
for (const library of LIBRARIES) {
  const lib = new LibraryWorker(library);
  try {
    await lib.start();
  } catch (err) {
    console.log(`${library}: not available (${(err as Error).message.split("\n")[0]})`);
    continue;
  }
  let agree = 0;
  let decided = 0;
  let errors = 0;
  let timeouts = 0;
  const times: number[] = [];
  const byKind = new Map<string, { n: number; agree: number }>();
  for (const [i, c] of pairs.entries()) {
    let d: Decision;
    if (c.g === null || c.p === null) {
      d = "incorrect"; // no answer on a side: the same verdict whatever the library
      times.push(0);
    } else {
      const r = await lib.decide(i, c.g, c.p);
      if (r === null) {
        timeouts++;
        d = "undecided";
        times.push(PAIR_TIMEOUT_MS);
      } else {
        d = r.decision;
        if (r.error) errors++;
        times.push(r.ms);
      }
    }
    if (d !== "undecided") decided++;
    const ok = d !== "undecided" && (d === "correct") === c.expected;
    if (ok) agree++;
    const k = byKind.get(c.kind ?? "other") ?? { n: 0, agree: 0 };
    k.n++;
    if (ok) k.agree++;
    byKind.set(c.kind ?? "other", k);
  }
  await lib.stop();
  times.sort((x, y) => x - y);
  rows.push([
    lib.name,
    `${agree}/${cases.length} (${((100 * agree) / cases.length).toFixed(1)}%)`,
    String(decided),
    decided ? `${((100 * agree) / decided).toFixed(1)}%` : "-",
    String(errors),
    String(timeouts),
    percentile(times, 50).toFixed(2),
    percentile(times, 99).toFixed(2),
  ]);
  const kinds = [...byKind.entries()].sort().map(([k, v]) => `${k} ${v.agree}/${v.n}`);
  console.log(`${lib.name} by kind: ${kinds.join(", ")}`);
}

const header = ["library", "agrees with expected", "decided", "right when decided", "errors", `timeouts (${PAIR_TIMEOUT_MS / 1000} s)`, "p50 ms", "p99 ms"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]): string => "| " + r.map((x, i) => x.padEnd(widths[i]!)).join(" | ") + " |";
console.log(`\n${cases.length} verdict cases (${casesPath})\n`);
console.log(line(header));
console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
for (const r of rows) console.log(line(r));

// How many verdict cases the native engine hands to the fallback (needs the engine and its addon).
try {
  const engine = (await import("../src/verify/index.js" as string)) as {
    verify(gold: string, pred: string, options?: Record<string, unknown>): { method: string; status: string };
  };
  let reached = 0;
  let reachedAgree = 0;
  for (const c of cases as Array<Case & { float_rounding?: number; strict?: boolean; allow_set_relation_comp?: boolean }>) {
    const v = engine.verify(String(c.gold), String(c.pred), {
      floatRounding: c.float_rounding,
      strict: c.strict,
      allowSetRelationComp: c.allow_set_relation_comp,
    });
    if (v.method === "fallback") {
      reached++;
      if ((v.status === "correct") === c.expected) reachedAgree++;
    }
  }
  console.log(`\nverify(): ${reached} of ${cases.length} verdict cases reached the fallback; it agreed with expected on ${reachedAgree}.`);
} catch (err) {
  console.log(`\nverify(): not measured (${(err as Error).message.split("\n")[0]})`);
}
