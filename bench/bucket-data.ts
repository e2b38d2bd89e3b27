// Generated data for the bucket benchmarks: trace lengths shaped like Nemotron-Math's (most traces short, a
// thin tail to 128K, high mode longest) and Nemotron-format rows with varied text from the shared corpus.
// The shape is an assumption (log-normal per mode), not the paper's published histogram.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../src/bench/mix.js";

/** Seeded PRNG (mulberry32, shared with the other benchmarks). */
export const rng = seededRandom;

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Per mode: share of traces, median tokens, log-normal sigma. */
export const LENGTH_SHAPE = {
  high: { share: 1 / 3, median: 9000, sigma: 0.95 },
  medium: { share: 1 / 3, median: 3500, sigma: 0.85 },
  low: { share: 1 / 3, median: 1400, sigma: 0.75 },
} as const;

export type GenMode = keyof typeof LENGTH_SHAPE;

export function generateLengths(n: number, seed = 1): { tokens: Int32Array; modes: GenMode[] } {
  const rand = rng(seed);
  const tokens = new Int32Array(n);
  const modes: GenMode[] = [];
  const entries = Object.entries(LENGTH_SHAPE) as Array<[GenMode, (typeof LENGTH_SHAPE)[GenMode]]>;
  for (let i = 0; i < n; i++) {
    let r = rand();
    let mode: GenMode = entries[entries.length - 1]![0];
    for (const [m, s] of entries) {
      if (r < s.share) {
        mode = m;
        break;
      }
      r -= s.share;
    }
    const s = LENGTH_SHAPE[mode];
    tokens[i] = Math.max(200, Math.round(s.median * Math.exp(s.sigma * normal(rand))));
    modes.push(mode);
  }
  return { tokens, modes };
}

/** Sentences of varied mathematical text (corpus problems), so that BPE caches do not flatter the speed. */
export function corpusSentences(): string[] {
  const out: string[] = [];
  const dir = "/work/shared/corpus/benchmarks";
  for (const f of ["math_500", "aime_2024", "aime_2025", "amc_2023", "hmmt_2024_25"]) {
    let text: string;
    try {
      text = readFileSync(join(dir, `${f}.jsonl`), "utf8");
    } catch {
      text = readFileSync(join(process.cwd(), "..", "shared", "corpus", "benchmarks", `${f}.jsonl`), "utf8");
    }
    for (const line of text.split("\n")) if (line) out.push(String(JSON.parse(line).problem));
  }
  return out;
}

/** A Nemotron-Math-v2 row whose reasoning is about `approxChars` characters of corpus text. */
export function nemotronRow(i: number, approxChars: number, sentences: string[], rand: () => number, withTool: boolean): string {
  let reasoning = "";
  while (reasoning.length < approxChars) reasoning += sentences[Math.floor(rand() * sentences.length)] + "\n";
  const messages: unknown[] = [{ role: "user", content: sentences[i % sentences.length] + "\nPlease reason step by step, and put your final answer within \\boxed{}." }];
  if (withTool) {
    messages.push({
      role: "assistant",
      content: "",
      reasoning_content: reasoning.slice(0, reasoning.length >> 1),
      tool_calls: [{ id: "call_0", type: "function", function: { name: "stateful_python_code_exec", arguments: JSON.stringify({ code: `print(${i} * 7)` }) } }],
    });
    messages.push({ role: "tool", name: "stateful_python_code_exec", tool_call_id: "call_0", content: String(i * 7) });
    messages.push({ role: "assistant", reasoning_content: reasoning.slice(reasoning.length >> 1), content: `So the answer is \\boxed{${i * 7}}.` });
  } else {
    messages.push({ role: "assistant", reasoning_content: reasoning, content: `So the answer is \\boxed{${i}}.` });
  }
  return JSON.stringify({ uuid: `gen-${i}`, problem: sentences[i % sentences.length], expected_answer: String(withTool ? i * 7 : i), messages, tools: [] });
}
