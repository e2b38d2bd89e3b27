// Builds a realistic, seeded trace dump in the Nemotron-Math-v2 format from the benchmark problems in
// ../shared/corpus/benchmarks (AIME 2024/2025, AMC 2023, MATH-500, HMMT): for every problem, 8 attempts in
// each of the 6 settings (high/medium/low reasoning × with/without the Python tool), one row per attempt,
// one file per reasoning mode (the mode comes from the file name, as in the released dataset).
//
// The attempts mix what real dumps hold: correct answers written as the reference is, correct answers in
// another form (`0.5` for `\frac{1}{2}`, `016` for `16`, `27` for `27.0`, `\dfrac`), wrong answers (some
// repeated, so that majorities can be wrong), missing answers (truncated traces, answers never boxed),
// tool-integrated traces (assistant `tool_calls`, `tool` replies, outputs cut with `<output cut>`) and
// plain ones, with `reasoning_content` throughout. The row's `metadata` pass counts agree with the attempts.
//
//   npx tsx examples/make-example-dump.ts [--seed 7] [--problems 60] [--out examples/nemotron-math-v2]
//
// The same seed gives the same bytes. bench/grade.bench.ts reuses makeAttempt() for long traces.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { seededRandom } from "../src/util/seeded-random.js";

export interface BenchmarkProblem {
  id: string;
  problem: string;
  answer: string;
  source: string;
}

export type Mode = "high" | "medium" | "low";
export const MODES: Mode[] = ["high", "medium", "low"];

export const rng = seededRandom;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

export function loadBenchmarks(dir: string): BenchmarkProblem[] {
  const out: BenchmarkProblem[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    for (const line of readFileSync(join(dir, name), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line);
      out.push({ id: row.id, problem: row.problem, answer: String(row.answer), source: name.replace(/\.jsonl$/, "") });
    }
  }
  return out;
}

/** Strips `$...$` around a reference answer. */
function bare(answer: string): string {
  return answer.replace(/^\$+|\$+$/g, "").trim();
}

const INTEGER = /^-?\d+$/;
const FLOAT_INT = /^-?\d+\.0+$/;
const FRACTION = /^(-?)\\frac\{(\d+)\}\{(\d+)\}$/;
const DECIMAL = /^-?\d*\.\d+$/;

/** Answers whose forms we can vary with certainty; others are kept as written. */
export function answerKind(answer: string): "integer" | "float-int" | "fraction" | "decimal" | "other" {
  const a = bare(answer);
  if (INTEGER.test(a)) return "integer";
  if (FLOAT_INT.test(a)) return "float-int";
  if (FRACTION.test(a)) return "fraction";
  if (DECIMAL.test(a)) return "decimal";
  return "other";
}

function terminatingDecimal(num: number, den: number): string | null {
  let d = den;
  while (d % 2 === 0) d /= 2;
  while (d % 5 === 0) d /= 5;
  if (d !== 1) return null;
  const v = num / den;
  return String(v);
}

/** The same value written another way (as graders must accept), or null when we know none. */
export function otherForm(answer: string, r: () => number): string | null {
  const a = bare(answer);
  switch (answerKind(a)) {
    case "integer": {
      const n = Number(a);
      if (/^0\d/.test(a)) return String(n); // "025" → "25"
      if (n >= 0 && n < 100 && r() < 0.6) return String(n).padStart(3, "0"); // AIME style: "16" → "016"
      return r() < 0.5 ? `${a}.0` : `x = ${a}`;
    }
    case "float-int":
      return a.replace(/\.0+$/, ""); // AMC: "27.0" → "27"
    case "fraction": {
      const [, sign, p, q] = FRACTION.exec(a)!;
      const dec = terminatingDecimal(Number(p), Number(q));
      if (dec !== null && r() < 0.7) return sign + dec; // "\frac{1}{2}" → "0.5"
      return r() < 0.5 ? `${sign}\\dfrac{${p}}{${q}}` : `${sign}${p}/${q}`;
    }
    case "decimal": {
      const v = Number(a);
      for (const q of [2, 4, 5, 8, 10, 20, 25, 50, 100]) {
        const p = Math.round(v * q);
        if (Math.abs(p / q - v) < 1e-12) return `\\frac{${p}}{${q}}`; // "0.75" → "\frac{3}{4}"
      }
      return null;
    }
    default:
      return null;
  }
}

/** A wrong answer; `variant` picks among a few, so that wrong answers sometimes agree with each other. */
export function wrongAnswer(answer: string, variant: number): string {
  const a = bare(answer);
  switch (answerKind(a)) {
    case "integer":
    case "float-int": {
      const n = Math.round(Number(a));
      const delta = [1, -1, 2, 10][variant % 4];
      return String(n + delta === n ? n + 3 : n + delta);
    }
    case "fraction": {
      const [, sign, p, q] = FRACTION.exec(a)!;
      return variant % 2 === 0 ? `${sign}\\frac{${q}}{${p}}` : `${sign}\\frac{${Number(p) + 1}}{${q}}`;
    }
    case "decimal":
      return String(Number(a) + [0.5, -0.25, 1, 2][variant % 4]);
    default:
      return ["0", "1", "2", "-1"][variant % 4];
  }
}

const PYTHON_TOOL = [
  {
    type: "function",
    function: {
      name: "stateful_python_code_exec",
      description:
        "Call this function to execute Python code in a stateful Jupyter notebook environment. Python will respond with the output of the execution or time out after 120.0 seconds.",
      parameters: { type: "object", properties: { code: { type: "string", description: "Code to execute" } }, required: ["code"] },
    },
  },
];

const STEPS = [
  "Let me restate the conditions carefully before computing anything.",
  "We can set up the relevant quantities and look for an invariant.",
  "Consider small cases first to see the pattern: n = 1, 2, 3 give 1, 3, 6.",
  "By symmetry it suffices to handle one configuration and multiply.",
  "Substituting back, the equation becomes linear in the unknown.",
  "Check the boundary case separately; it does not change the count.",
  "Using the identity (a+b)^2 = a^2 + 2ab + b^2 simplifies the expression.",
  "The constraint forces the remaining variable to be an integer.",
  "Let me double-check the arithmetic: 12 * 17 = 204, and 204 / 4 = 51.",
  "This matches the earlier estimate, so the approach seems right.",
  "Alternatively, count the complement and subtract from the total.",
  "Wait, I should make sure no case was counted twice.",
  "Modulo 9 the digit sum is preserved, which rules out the other residues.",
  "Applying Vieta's formulas gives the sum and product of the roots directly.",
];

function reasoning(r: () => number, problem: string, targetChars: number): string {
  const parts = [`We need to solve: ${problem.slice(0, 300)}${problem.length > 300 ? " ..." : ""}`];
  let size = parts[0].length;
  while (size < targetChars) {
    const s = pick(r, STEPS);
    parts.push(s);
    size += s.length + 1;
  }
  return parts.join("\n");
}

const CODE_SNIPPETS = [
  (v: string) => `import sympy as sp\nx = sp.symbols('x')\nexpr = sp.simplify((x**2 - 1)/(x - 1))\nprint(expr)\nprint(${JSON.stringify(v)})`,
  (v: string) => `count = 0\nfor a in range(1, 200):\n    for b in range(a, 200):\n        if (a*a + b*b) % 7 == 0:\n            count += 1\ncount, ${JSON.stringify(v)}`,
  (v: string) => `from fractions import Fraction\nvals = [Fraction(1, k*(k+1)) for k in range(1, 50)]\nprint(sum(vals))\nans = ${JSON.stringify(v)}\nans`,
];

export interface AttemptSpec {
  problem: BenchmarkProblem;
  uuid: string;
  tool: boolean;
  /** What the attempt ends with. */
  outcome: "correct" | "other-form" | "wrong" | "missing";
  /** The answer written in the box (null for a missing answer). */
  answer: string | null;
  /** Approximate size of the reasoning text. */
  reasoningChars: number;
}

/** The messages of one attempt (user turn, assistant turns with reasoning, tool calls and replies). */
export function makeMessages(spec: AttemptSpec, r: () => number): object[] {
  const user = {
    role: "user",
    content: `${spec.problem.problem}\nPlease reason step by step, and put your final answer within \\boxed{}.`,
  };
  const messages: object[] = [user];
  const shown = spec.answer ?? wrongAnswer(spec.problem.answer, 3);
  if (spec.tool) {
    const calls = 1 + Math.floor(r() * 3);
    const share = Math.floor(spec.reasoningChars / (calls + 1));
    for (let c = 0; c < calls; c++) {
      const code = pick(r, CODE_SNIPPETS)(shown);
      const id = `call_${c}`;
      messages.push({
        role: "assistant",
        content: "",
        reasoning_content: reasoning(r, spec.problem.problem, share),
        tool_calls: [{ id, type: "function", function: { name: "stateful_python_code_exec", arguments: JSON.stringify({ code }) } }],
      });
      const cut = r() < 0.1;
      const output = cut ? "1".repeat(1000) + "<output cut>" : r() < 0.1 ? "Traceback (most recent call last):\nNameError: name 'sp' is not defined" : `x + 1\n${shown}`;
      messages.push({ role: "tool", name: "stateful_python_code_exec", tool_call_id: id, content: output });
    }
    messages.push(finalTurn(spec, r, share));
  } else {
    messages.push(finalTurn(spec, r, spec.reasoningChars));
  }
  return messages;
}

function finalTurn(spec: AttemptSpec, r: () => number, chars: number): object {
  const thought = reasoning(r, spec.problem.problem, chars);
  if (spec.answer === null) {
    // Missing answers: a trace cut off mid-reasoning, or a final message that never commits to one.
    return r() < 0.6
      ? { role: "assistant", reasoning_content: thought + "\nSo we need to consider the case where", content: "" }
      : { role: "assistant", reasoning_content: thought, content: "I could not determine the answer with certainty from this analysis." };
  }
  const box = r() < 0.5 ? `\\[\n\\boxed{${spec.answer}}\n\\]` : `$\\boxed{${spec.answer}}$`;
  const lead = pick(r, ["Therefore, the answer is", "Putting everything together:", "Hence the final answer is", "**Answer.**"]);
  return { role: "assistant", reasoning_content: thought, content: `${pick(r, STEPS)}\n\n${lead}\n\n${box}` };
}

/** A deterministic UUID-shaped id from a string (FNV-1a based; not random). */
export function uuidFor(text: string): string {
  const hex: string[] = [];
  let h = 0x811c9dc5;
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i) + round;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    hex.push(h.toString(16).padStart(8, "0"));
  }
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

/** Picks the outcome of one attempt. */
export function makeAttempt(problem: BenchmarkProblem, uuid: string, tool: boolean, pCorrect: number, r: () => number, reasoningChars: number): AttemptSpec {
  const roll = r();
  let outcome: AttemptSpec["outcome"];
  if (roll < 0.06) outcome = "missing";
  else if (roll < 0.06 + pCorrect) outcome = r() < 0.35 ? "other-form" : "correct";
  else outcome = "wrong";
  let answer: string | null = null;
  if (outcome === "correct") answer = bare(problem.answer);
  if (outcome === "other-form") {
    answer = otherForm(problem.answer, r);
    if (answer === null) {
      outcome = "correct";
      answer = bare(problem.answer);
    }
  }
  // Wrong answers favour variant 0, so that a wrong majority can form.
  if (outcome === "wrong") answer = wrongAnswer(problem.answer, r() < 0.6 ? 0 : Math.floor(r() * 4));
  return { problem, uuid, tool, outcome, answer, reasoningChars };
}

export interface DumpOptions {
  seed: number;
  problems: number;
  samples: number;
  benchmarks: string;
}

/** Rows per mode file, in the order they are written. */
export function makeDump(opts: DumpOptions): Record<Mode, string[]> {
  const r = rng(opts.seed);
  const all = loadBenchmarks(opts.benchmarks).filter((p) => bare(p.answer).length <= 40 && !p.answer.includes("\\text"));
  // A mix weighted towards answers whose forms vary (integers, fractions, decimals), drawn reproducibly.
  const pool = [...all];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const varied = pool.filter((p) => answerKind(p.answer) !== "other");
  const others = pool.filter((p) => answerKind(p.answer) === "other");
  const nOther = Math.min(others.length, Math.round(opts.problems * 0.15));
  const chosen = [...varied.slice(0, opts.problems - nOther), ...others.slice(0, nOther)];
  chosen.sort((a, b) => (a.id < b.id ? -1 : 1));

  const files: Record<Mode, string[]> = { high: [], medium: [], low: [] };
  for (const problem of chosen) {
    const uuid = uuidFor(`${problem.source}/${problem.id}`);
    const difficulty = r(); // 0 easy … 1 hard
    for (const mode of MODES) {
      const bonus = mode === "high" ? 0.15 : mode === "low" ? -0.2 : 0;
      const metadata: Record<string, { count: number; pass: number; accuracy: number }> = {};
      const attempts: AttemptSpec[] = [];
      for (const tool of [true, false]) {
        const p = Math.max(0.02, Math.min(0.92, 0.95 - difficulty + bonus + (tool ? 0.05 : 0)));
        const size = mode === "high" ? 3000 : mode === "medium" ? 1500 : 600;
        const specs = Array.from({ length: opts.samples }, () => makeAttempt(problem, uuid, tool, p, r, Math.round(size * (0.5 + r()))));
        const pass = specs.filter((s) => s.outcome === "correct" || s.outcome === "other-form").length;
        metadata[`reason_${mode}_${tool ? "with" : "no"}_tool`] = { count: opts.samples, pass, accuracy: pass / opts.samples };
        attempts.push(...specs);
      }
      for (const spec of attempts) {
        const row = {
          uuid,
          problem: problem.problem,
          expected_answer: bare(problem.answer),
          original_expected_answer: problem.answer,
          changed_answer_to_majority: false,
          data_source: problem.source,
          messages: makeMessages(spec, r),
          metadata,
          license: "CC BY 4.0",
          used_in: [],
          tools: spec.tool ? PYTHON_TOOL : [],
        };
        files[mode].push(JSON.stringify(row));
      }
    }
  }
  return files;
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const { values } = parseArgs({
    options: {
      seed: { type: "string", default: "7" },
      problems: { type: "string", default: "60" },
      samples: { type: "string", default: "8" },
      out: { type: "string", default: join(here, "nemotron-math-v2") },
      benchmarks: { type: "string", default: resolve(here, "../../shared/corpus/benchmarks") },
    },
  });
  const files = makeDump({
    seed: Number(values.seed),
    problems: Number(values.problems),
    samples: Number(values.samples),
    benchmarks: values.benchmarks!,
  });
  mkdirSync(values.out!, { recursive: true });
  for (const mode of MODES) {
    const name = join(values.out!, `${mode}.part_00.jsonl.gz`);
    // mtime 0 in the gzip header (Node writes none): the same seed gives the same bytes.
    writeFileSync(name, gzipSync(files[mode].join("\n") + "\n", { level: 9 }));
    process.stderr.write(`${name}: ${files[mode].length} rows\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
