// Throughput of trace parsing and answer extraction, one thread, on generated rows of ~20K tokens
// (~80 KB) in three formats. Prints MB/s (median and best of 5 runs) for JSON.parse alone,
// parseTrace alone, both with extractAnswer, and extractAnswer on a whole raw line.
//   npm run bench:traces [-- ROWS_PER_FORMAT]
import { extractAnswer } from "../src/extract/index.js";
import { parseTrace } from "../src/traces/index.js";

const rowsPerFormat = Number(process.argv[2] ?? 300);
const TRACE_CHARS = 80_000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(7);
const WORDS = "we need the sum of all integers $n$ such that \\frac{n^2+1}{n+3} is an integer so compute 17 times 3 = 51 and check mod 7 hence".split(" ");
function prose(chars: number): string {
  let text = "";
  while (text.length < chars) text += WORDS[Math.floor(rand() * WORDS.length)] + (rand() < 0.08 ? ".\n" : " ");
  return text;
}
const code = (i: number) => `import sympy as sp\nx = sp.symbols('x')\nsp.solve(x**2 - ${i}*x + 6, x)`;

function nemotron(i: number): string {
  const messages: unknown[] = [{ role: "user", content: `Problem ${i}: ${prose(200)}` }];
  const parts = 4;
  for (let k = 0; k < parts - 1; k++) {
    messages.push({ role: "assistant", content: "", reasoning_content: prose(TRACE_CHARS / parts), tool_calls: [{ id: `c${k}`, type: "function", function: { name: "stateful_python_code_exec", arguments: JSON.stringify({ code: code(k) }) } }] });
    messages.push({ role: "tool", tool_call_id: `c${k}`, content: `[2, ${k + 3}]` });
  }
  messages.push({ role: "assistant", reasoning_content: prose(TRACE_CHARS / parts), content: `So the answer is \\boxed{${i % 997}}.` });
  return JSON.stringify({ uuid: `u${i % 500}`, problem: `Problem ${i % 500}`, expected_answer: String(i % 997), messages, tools: [] });
}

function harmony(i: number): string {
  let text = "";
  for (let k = 0; k < 3; k++) {
    text += `<|channel|>analysis<|message|>${prose(TRACE_CHARS / 4)}<|end|><|start|>assistant<|channel|>analysis to=python code<|message|>${code(k)}<|call|><|start|>python code to=assistant<|channel|>analysis<|message|>[2, ${k + 3}]\n<|end|><|start|>assistant`;
  }
  text += `<|channel|>analysis<|message|>${prose(TRACE_CHARS / 4)}<|end|><|start|>assistant<|channel|>final<|message|>Thus \\[\\boxed{${i % 997}}\\]`;
  return JSON.stringify({ problem: `Problem ${i % 500}`, expected_answer: String(i % 997), generation: text, num_generated_tokens: 20000 });
}

function openmath(i: number): string {
  let text = "<think>\n";
  for (let k = 0; k < 3; k++) text += `${prose(TRACE_CHARS / 4)}\n<tool_call>\n${code(k)}\n</tool_call>\n\`\`\`output\n[2, ${k + 3}]\n\`\`\`\n`;
  text += `${prose(TRACE_CHARS / 4)}\n</think>\nHence \\boxed{${i % 997}}.`;
  return JSON.stringify({ problem: `Problem ${i % 500}`, expected_answer: String(i % 997), generated_solution: text, inference_mode: "tir" });
}

const REPEATS = 5;

/**
 * Runs `work` over `items` REPEATS times (after a warm-up) and prints the median and best
 * throughput in bytes of `lines`: the machine is shared, so single runs are noisy.
 */
function measure<T>(label: string, items: T[], work: (item: T) => void, lines: string[] = items as unknown as string[]): void {
  const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
  for (let i = 0; i < Math.min(50, items.length); i++) work(items[i]); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = process.hrtime.bigint();
    for (const item of items) work(item);
    rates.push(bytes / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(REPEATS / 2)];
  const rowsPerSecond = (median * 1e6 * items.length) / bytes;
  console.log(`  ${label.padEnd(40)} median ${median.toFixed(0).padStart(6)} MB/s (best ${rates[REPEATS - 1].toFixed(0).padStart(6)})  ${rowsPerSecond.toFixed(0).padStart(7)} rows/s`);
}

let sink = 0;
for (const [name, make] of [["nemotron", nemotron], ["nemo-skills (harmony)", harmony], ["openmath (TIR)", openmath]] as const) {
  const lines = Array.from({ length: rowsPerFormat }, (_, i) => make(i));
  const rows: unknown[] = lines.map((line) => JSON.parse(line));
  const megabytes = lines.reduce((sum, line) => sum + line.length, 0) / 1e6;
  console.log(`${name}: ${rowsPerFormat} rows, ${megabytes.toFixed(0)} MB (MB/s are of JSONL bytes)`);
  measure("JSON.parse", lines, (line) => {
    sink += (JSON.parse(line) as object) ? 1 : 0;
  });
  measure("parseTrace (row already parsed)", rows, (row) => {
    const parsed = parseTrace(row);
    sink += parsed.ok ? parsed.trace.toolCalls.length : 0;
  }, lines);
  measure("parseTrace + extractAnswer(finalText)", rows, (row) => {
    const parsed = parseTrace(row);
    if (!parsed.ok) throw new Error(parsed.reason);
    const { answer } = extractAnswer(parsed.trace.finalText);
    if (answer === null) throw new Error("no answer");
    sink += answer.length;
  }, lines);
  measure("JSON.parse + parseTrace + extract", lines, (line) => {
    const parsed = parseTrace(JSON.parse(line));
    sink += parsed.ok ? (extractAnswer(parsed.trace.finalText).answer?.length ?? 0) : 0;
  });
  measure("extractAnswer on the raw JSONL line", lines, (line) => {
    sink += extractAnswer(line).answer?.length ?? 0;
  });
}
if (sink === 42) console.log("");
