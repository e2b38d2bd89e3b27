// The library from a generator's point of view: verify answers, grade rows, run Python.
// Run from the repository root after `npm install`:  node examples/library-usage.mjs
import { Sandbox, grade, verify, verifyBatch } from "veritrace";

// One pair: either side may be a bare answer or a whole response.
const v = verify("\\frac{1}{2}", "So the probability is \\boxed{0.5}.");
console.log(v.status, v.method, v.extraction.pred, v.gold, v.pred); // correct exact boxed 1/2 1/2

// Many pairs cross into C++ once.
const verdicts = verifyBatch([
  { gold: "2^{100}", pred: "1267650600228229401496703205376" },
  { gold: "\\frac{1}{2^{98}}", pred: "\\frac{1}{2^{99}}" },
  { gold: "[1, 3)", pred: "[1, 3]" },
]);
console.log(verdicts.map((x) => x.status)); // [ 'correct', 'incorrect', 'incorrect' ]

// Grading rows (objects, JSON strings or bytes) as an async iterable; one verdict row per input row.
async function* rows() {
  yield {
    uuid: "p1",
    problem: "What is 1/2 + 1/4?",
    expected_answer: "\\frac34",
    messages: [
      { role: "user", content: "What is 1/2 + 1/4?" },
      { role: "assistant", reasoning_content: "1/2 + 1/4 = 3/4", content: "The answer is $\\boxed{0.75}$." },
    ],
  };
  yield "{ not json";
}
for await (const row of grade(rows())) console.log(row.problem_id, row.status, row.answer);

// The Python sandbox: stateful sessions, NeMo-Skills' output format.
const sb = await Sandbox.start({ workers: 1, timeoutMs: 5000 });
try {
  await sb.run("import sympy as sp\nx = sp.symbols('x')", { session: "trace-1" });
  const r = await sb.run("sp.factor(x**2 - 1)", { session: "trace-1" });
  console.log(r.status, JSON.stringify(r.output)); // completed "(x - 1)*(x + 1)\n"
} finally {
  await sb.close();
}
