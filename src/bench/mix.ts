// Seeded workloads for the benchmarks: answer pairs in the proportions a grading run meets them, and
// Nemotron-Math-v2 rows (reasoning, tool calls, a boxed final answer) for the grading pipeline.
// Same seed, same workload, on every machine.
import { seededRandom } from "../util/seeded-random.js";

export { seededRandom };

export interface AnswerPair {
  gold: string;
  pred: string;
}

type Maker = (r: () => number) => AnswerPair;
const int = (r: () => number, max: number) => Math.floor(r() * max);

// Weights follow what a math-trace grading run mostly sees: integer answers (AIME-style), then
// fractions, radicals and expressions, with a tail of sets, intervals, tuples, big numbers and text; a
// share of the predictions are whole responses that go through answer extraction first.
const MAKERS: Array<[number, Maker]> = [
  [30, (r) => { const n = int(r, 1000); return { gold: String(n), pred: String(r() < 0.8 ? n : n + 1 + int(r, 9)) }; }],
  [6, (r) => { const n = int(r, 1000); return { gold: String(n), pred: String(n).padStart(3, "0") }; }],
  [10, (r) => { const p = 1 + int(r, 9); const q = p + 1 + int(r, 9); return { gold: `\\frac{${p}}{${q}}`, pred: r() < 0.5 ? `${p}/${q}` : `\\dfrac{${2 * p}}{${2 * q}}` }; }],
  [5, (r) => { const d = [2, 4, 5, 8][int(r, 4)]; const p = 1 + int(r, d - 1); return { gold: `\\frac{${p}}{${d}}`, pred: String(p / d) }; }],
  [7, (r) => { const a = 2 + int(r, 20); return { gold: `${a}\\sqrt{2}`, pred: r() < 0.7 ? `\\sqrt{${2 * a * a}}` : `${a}\\sqrt{3}` }; }],
  [6, (r) => { const a = 1 + int(r, 9); return { gold: `x^2+${2 * a}x+${a * a}`, pred: r() < 0.7 ? `(x+${a})^2` : `(x+${a + 1})^2` }; }],
  [4, (r) => ({ gold: "\\pi", pred: r() < 0.5 ? "3.141593" : "\\frac{22}{7}" })],
  [4, (r) => { const e = 60 + int(r, 60); return { gold: `2^{${e}}`, pred: (2n ** BigInt(e) + (r() < 0.8 ? 0n : 1n)).toString() }; }],
  [4, (r) => { const a = int(r, 5); const b = a + 1 + int(r, 5); return { gold: `(${a}, ${b}]`, pred: r() < 0.8 ? `(${a},${b}]` : `[${a},${b}]` }; }],
  [4, (r) => { const xs = [int(r, 9), 10 + int(r, 9), 20 + int(r, 9)]; return { gold: `\\{${xs.join(", ")}\\}`, pred: `\\{${[...xs].reverse().join(",")}\\}` }; }],
  [3, (r) => { const a = int(r, 9); const b = int(r, 9); return { gold: `(${a}, ${b})`, pred: r() < 0.8 ? `(${a},${b})` : `(${b},${a + 1})` }; }],
  [3, (r) => { const n = int(r, 100); return { gold: `${n}`, pred: `${n}\\%` }; }],
  [3, (r) => ({ gold: ["\\text{Yes}", "\\text{east}", "\\text{Tuesday}"][int(r, 3)], pred: ["yes", "East", "wednesday"][int(r, 3)] })],
  [11, (r) => {
    const n = int(r, 1000);
    const ans = r() < 0.85 ? n : n + 2;
    return { gold: String(n), pred: `We count the cases separately and add them up.\n\nTherefore the answer is $\\boxed{${ans}}$.` };
  }],
];
const TOTAL = MAKERS.reduce((a, [w]) => a + w, 0);

/** `count` answer pairs drawn from the typical mix with the given seed. */
export function answerPairs(count: number, seed = 1): AnswerPair[] {
  const r = seededRandom(seed);
  const out: AnswerPair[] = [];
  for (let i = 0; i < count; i++) {
    let pick = r() * TOTAL;
    let j = 0;
    while (pick >= MAKERS[j][0]) pick -= MAKERS[j++][0];
    out.push(MAKERS[j][1](r));
  }
  return out;
}

const WORDS = (
  "we need to find the number of solutions so consider the cases first note that each term is " +
  "positive hence the sum is bounded by the product and equality holds when all terms are equal " +
  "let us check small values compute the remainder modulo seven then use the formula again"
).split(" ");

function prose(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[int(r, WORDS.length)]);
  return out.join(" ") + ".";
}

/**
 * `count` Nemotron-Math-v2 rows: 8 samples per problem over the six settings, reasoning of a few
 * thousand characters, a tool call and its output in the with-tool settings, a boxed final answer
 * (mostly right, sometimes wrong or missing). Returned as JSON lines.
 */
export function nemotronRows(count: number, seed = 1): string[] {
  const r = seededRandom(seed);
  const pairs = answerPairs(Math.ceil(count / 8), seed + 1);
  const settings = ["high", "medium", "low"].flatMap((mode) => [{ mode, tool: true }, { mode, tool: false }]);
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const problem = Math.floor(i / 8);
    const { gold, pred } = pairs[problem];
    const { tool } = settings[Math.floor(i / 8) % settings.length];
    const answer = r() < 0.75 ? gold : r() < 0.7 ? pred : null;
    const messages: object[] = [{ role: "user", content: `Problem ${problem}: ${prose(r, 25)}\nPlease reason step by step, and put your final answer within \\boxed{}.` }];
    if (tool) {
      messages.push({
        role: "assistant",
        content: "",
        reasoning_content: prose(r, 200 + int(r, 300)),
        tool_calls: [{ id: "call_0", type: "function", function: { name: "stateful_python_code_exec", arguments: JSON.stringify({ code: `n = ${problem}\nsum(range(n))` }) } }],
      });
      messages.push({ role: "tool", name: "stateful_python_code_exec", tool_call_id: "call_0", content: String((problem * (problem - 1)) / 2) });
    }
    messages.push({
      role: "assistant",
      reasoning_content: prose(r, 300 + int(r, 600)),
      content: answer === null ? prose(r, 30) : `${prose(r, 30)}\n\n\\[\n\\boxed{${answer}}\n\\]`,
    });
    rows.push(JSON.stringify({ uuid: `bench-${seed}-${problem}`, problem: `Problem ${problem}`, expected_answer: gold, messages, tools: tool ? [{ type: "function" }] : [] }));
  }
  return rows;
}
