// A Nemotron-Math-v2-format dump of many distinct problems with short traces, for `bench:grade --problems N`:
// N problems × 6 settings (high/medium/low × with/without tool) × S samples, each trace a few hundred bytes
// (a short problem, a short reasoning_content, a final content with \boxed{answer}). Grading time then goes
// to the number of problems rather than to bytes, which is what the per-problem score state and the
// summary cost memory for.
//
// Rows are written setting by setting (every problem's samples of high/with-tool, then high/no-tool, ...),
// as when the pipeline's per-setting files are concatenated: every problem's state must then live across
// the whole run. Each (problem, setting) block is drawn from its own seeded generator, so the dump streams
// out without holding any of it, and the same parameters give the same bytes.
import { createWriteStream, renameSync } from "node:fs";
import { once } from "node:events";
import { makeAttempt, makeMessages, rng, uuidFor, MODES, type AttemptSpec, type BenchmarkProblem, type Mode } from "../examples/make-example-dump.js";

export interface ManyProblemsOptions {
  problems: number;
  samples: number;
  seed: number;
}

/** The cache file name: every parameter that changes the bytes (and the generator's version). */
export function manyProblemsFileName(o: ManyProblemsOptions): string {
  return `grade-bench-problems-v1-${o.problems}x6x${o.samples}-s${o.seed}.jsonl`;
}

/** FNV-1a of a string: a numeric seed per problem and per (problem, setting). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A reference answer and its rounded value: mostly integers, some fractions, decimals and `27.0` (the kinds
 * whose other forms makeAttempt writes: `016`, `0.5` for `\frac{1}{2}`, `\frac{3}{4}` for `0.75`, `27`).
 */
function referenceAnswer(r: () => number): { answer: string; value: number } {
  const roll = r();
  if (roll < 0.65) {
    const n = r() < 0.8 ? int(r, 0, 999) : int(r, 1000, 99_999);
    return { answer: String(n), value: n };
  }
  if (roll < 0.85) {
    const q = [2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 25][int(r, 0, 10)];
    let p = int(r, 1, 4 * q);
    while (gcd(p, q) !== 1) p++;
    const sign = r() < 0.15 ? -1 : 1;
    return { answer: `${sign < 0 ? "-" : ""}\\frac{${p}}{${q}}`, value: Math.round((sign * p) / q) };
  }
  if (roll < 0.95) {
    const v = (2 * int(r, 0, 200) + 1) / [2, 4, 8, 10][int(r, 0, 3)]; // odd numerator: never an integer
    return { answer: String(v), value: Math.round(v) };
  }
  const n = int(r, 1, 200);
  return { answer: `${n}.0`, value: n };
}

const TEMPLATES: Array<(r: () => number) => string> = [
  (r) => `Let $n = ${int(r, 100, 9999)}$. Find the remainder when $n^{${int(r, 2, 99)}}$ is divided by ${int(r, 7, 1000)}.`,
  (r) => `A sequence has $a_1 = ${int(r, 1, 99)}$ and $a_{k+1} = a_k + ${int(r, 2, 30)}k$. Find $a_{${int(r, 5, 60)}}$.`,
  (r) => `How many positive integers below ${int(r, 100, 5000)} are divisible by ${int(r, 2, 13)} but not by ${int(r, 14, 40)}?`,
  (r) => `Compute $\\frac{${int(r, 1, 50)}}{${int(r, 2, 60)}} + \\frac{${int(r, 1, 50)}}{${int(r, 2, 60)}}$ in lowest terms.`,
  (r) => `A box holds ${int(r, 3, 20)} red and ${int(r, 3, 20)} blue balls. Two are drawn. Find the probability both are red.`,
];

interface ProblemParams {
  problem: BenchmarkProblem;
  uuid: string;
  /** The reference, rounded: wrong answers scatter around it. */
  value: number;
  /** 0 easy … 1 hard. */
  difficulty: number;
  /** How many extra wrong values this problem's wrong samples scatter over. */
  spread: number;
}

function problemParams(o: ManyProblemsOptions, index: number): ProblemParams {
  const r = rng(hash32(`${o.seed}/${index}`));
  const { answer, value } = referenceAnswer(r);
  const text = TEMPLATES[int(r, 0, TEMPLATES.length - 1)](r);
  const uuid = uuidFor(`many-problems/s${o.seed}/${index}`);
  return { problem: { id: uuid, problem: text, answer, source: "synthetic" }, uuid, value, difficulty: r(), spread: int(r, 1, 12) };
}

/**
 * The attempts of one (problem, setting): makeAttempt's mix (correct, other form, wrong, missing), with half
 * the wrong answers scattered over the problem's `spread` extra values, so that problems hold about 5–20
 * distinct answers. Drawn from their own generator, apart from the message text, so they can be recomputed.
 */
function attempts(o: ManyProblemsOptions, p: ProblemParams, mode: Mode, tool: boolean): AttemptSpec[] {
  const r = rng(hash32(`${o.seed}/${p.uuid}/${mode}/${tool}/answers`));
  const bonus = mode === "high" ? 0.15 : mode === "low" ? -0.2 : 0;
  const pCorrect = Math.max(0.02, Math.min(0.92, 0.95 - p.difficulty + bonus + (tool ? 0.05 : 0)));
  const specs: AttemptSpec[] = [];
  for (let s = 0; s < o.samples; s++) {
    const spec = makeAttempt(p.problem, p.uuid, tool, pCorrect, r, int(r, 60, 300));
    // Clear of wrongAnswer's values (the reference ± 1, + 2, + 3, + 10).
    if (spec.outcome === "wrong" && r() < 0.5) spec.answer = String(p.value + 11 + 3 * int(r, 0, p.spread - 1));
    specs.push(spec);
  }
  return specs;
}

const TOOLS = [{ type: "function", function: { name: "stateful_python_code_exec" } }];

/**
 * Writes the dump to `file` (through `file.tmp`, renamed when complete), in chunks of about 1 MB.
 * The with-tool setting is stated by the row's `tools`; its traces hold no tool calls, to stay short.
 */
export async function generateManyProblems(file: string, o: ManyProblemsOptions): Promise<{ rows: number; bytes: number }> {
  const tmp = file + ".tmp";
  const out = createWriteStream(tmp);
  let chunk = "";
  let rows = 0;
  let bytes = 0;
  const flush = async (): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
    chunk = "";
  };
  for (const mode of MODES) {
    for (const tool of [true, false]) {
      for (let i = 0; i < o.problems; i++) {
        const p = problemParams(o, i);
        const r = rng(hash32(`${o.seed}/${p.uuid}/${mode}/${tool}/text`));
        for (const spec of attempts(o, p, mode, tool)) {
          chunk +=
            JSON.stringify({
              uuid: p.uuid,
              problem: p.problem.problem,
              expected_answer: p.problem.answer,
              messages: makeMessages({ ...spec, tool: false }, r),
              metadata: {},
              tools: tool ? TOOLS : [],
              reasoning_effort: mode,
            }) + "\n";
          rows++;
        }
        if (chunk.length >= 1 << 20) await flush();
      }
    }
  }
  await flush();
  out.end();
  await once(out, "finish");
  renameSync(tmp, file);
  return { rows, bytes };
}

/** The attempts of problem `index` in one setting, as the dump holds them (outcomes and answers). */
export function problemAttempts(o: ManyProblemsOptions, index: number, mode: Mode, tool: boolean): AttemptSpec[] {
  return attempts(o, problemParams(o, index), mode, tool);
}

/** Distinct answer strings per problem (missing answers not counted) over the first `count` problems. */
export function distinctAnswers(o: ManyProblemsOptions, count: number): { mean: number; p5: number; p95: number } {
  const counts: number[] = [];
  for (let i = 0; i < Math.min(count, o.problems); i++) {
    const p = problemParams(o, i);
    const seen = new Set<string>();
    for (const mode of MODES) for (const tool of [true, false]) for (const a of attempts(o, p, mode, tool)) if (a.answer !== null) seen.add(a.answer);
    counts.push(seen.size);
  }
  counts.sort((a, b) => a - b);
  const at = (q: number): number => counts[Math.min(counts.length - 1, Math.floor(q * counts.length))];
  return { mean: counts.reduce((a, b) => a + b, 0) / counts.length, p5: at(0.05), p95: at(0.95) };
}
