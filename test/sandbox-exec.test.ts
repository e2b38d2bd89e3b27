// `veritrace exec` end to end: a small dump of real tool-integrated traces (Nemotron-Math-v2 messages and
// OpenMathReasoning TIR text) whose recorded outputs are what NeMo-Skills' sandbox prints, plus one
// deliberately wrong output, a trace without tools and a row that is not a trace.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./helpers/cli.js";
import { ensurePythonPackages } from "./helpers/sandbox-setup.js";

const dir = join(repoRoot, "test-artifacts", "sandbox-exec");
const dump = join(dir, "high.part_00.jsonl");
const out = join(dir, "exec.jsonl");

function nemotronRow(uuid: string, calls: Array<{ code: string; output: string }>) {
  const messages: unknown[] = [{ role: "user", content: "Compute it.\nPlease reason step by step, and put your final answer within \\boxed{}." }];
  calls.forEach((c, i) => {
    messages.push({
      role: "assistant",
      content: "",
      reasoning_content: "Let me compute.",
      tool_calls: [{ id: `call_${i}`, type: "function", function: { name: "stateful_python_code_exec", arguments: JSON.stringify({ code: c.code }) } }],
    });
    messages.push({ role: "tool", name: "stateful_python_code_exec", tool_call_id: `call_${i}`, content: c.output });
  });
  messages.push({ role: "assistant", reasoning_content: "Done.", content: "\\boxed{42}" });
  return { uuid, problem: `Problem ${uuid}`, expected_answer: "42", messages, tools: [{ type: "function", function: { name: "stateful_python_code_exec" } }] };
}

beforeAll(() => {
  ensurePythonPackages();
  mkdirSync(dir, { recursive: true });
  const rows = [
    nemotronRow("p1", [
      { code: "x = 6 * 7\nx", output: "42" },
      { code: "print(x + 1)", output: "43" },
    ]),
    nemotronRow("p2", [
      { code: "import sympy as sp\nsp.factor(sp.Symbol('x')**2 - 1)", output: "(x - 1)*(x + 1)" },
      { code: "1/0", output: "Traceback (most recent call last):\n    1/0\nZeroDivisionError: division by zero" },
      { code: "print('wrong')", output: "right" },
    ]),
    { uuid: "p3", problem: "No tools", expected_answer: "1", messages: [{ role: "user", content: "1?" }, { role: "assistant", content: "\\boxed{1}" }] },
    { not_a_trace: true },
    {
      problem: "Find the sum of all integer bases b>9 for which 17_b divides 97_b.",
      generated_solution:
        "<think>\nLet me brute force it.\n<tool_call>\ntotal_sum = 0\nfor b in range(10, 50):\n    if (9*b+7) % (b+7) == 0:\n        total_sum += b\ntotal_sum\n</tool_call>\n```output\n70\n```\nSo 70.\n</think>\n\\boxed{70}",
      expected_answer: "70",
      inference_mode: "tir",
    },
  ];
  writeFileSync(dump, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
}, 600_000);

describe("veritrace exec", () => {
  it("re-runs each trace's calls in a fresh session and reports matches and mismatches", () => {
    const r = runCli(["exec", dump, "--out", out, "--workers", "1", "--json"], { timeout: 300_000 });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ rows: 5, invalid: 1, withoutToolCalls: 1 });
    expect(summary.total).toEqual({ traces: 3, calls: 6, matched: 5, mismatched: 1, unrecorded: 0, errors: 1, timeouts: 0 });
    // The mode comes from the file name (high.part_00.jsonl) for both formats.
    expect(summary.settings["high/with_tool"]).toMatchObject({ traces: 3, calls: 6, matched: 5, mismatched: 1 });

    const rows = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((row) => row.line)).toEqual([1, 2, 4, 5]);
    expect(rows[0]).toMatchObject({ problemId: "p1", calls: 2, matched: 2, mismatched: 0 });
    expect(rows[1]).toMatchObject({ problemId: "p2", calls: 3, matched: 2, mismatched: 1, errors: 1 });
    expect(rows[1].mismatches).toEqual([{ call: 2, code: "print('wrong')", recorded: "right", fresh: "wrong", status: "completed" }]);
    expect(rows[2]).toMatchObject({ line: 4, calls: 0 });
    expect(rows[2].invalid).toEqual(expect.any(String));
    expect(rows[3]).toMatchObject({ format: "openmath", calls: 1, matched: 1 });
  }, 300_000);

  it("prints a table per setting without --json", () => {
    const r = runCli(["exec", dump, "--workers", "1"], { timeout: 300_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^setting\s+traces\s+calls\s+matched\s+mismatched/);
    expect(r.stdout).toMatch(/high\/with_tool\s+3\s+6\s+5\s+1/);
  }, 300_000);

  it("rebuilds a trace's namespace when another trace's call killed the shared worker", () => {
    const killing = join(dir, "killing.jsonl");
    const rows = [
      nemotronRow("killer", [
        { code: "w = 7", output: "" },
        { code: "sum(range(10**11))", output: "Execution timed out after 2.0 seconds" },
      ]),
      nemotronRow("victim", [
        { code: "v = 5", output: "" },
        { code: "import time\ntime.sleep(0.5)\nv", output: "5" },
      ]),
    ];
    writeFileSync(killing, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const r = runCli(["exec", killing, "--out", out, "--workers", "1", "--timeout", "2"], { timeout: 300_000 });
    expect(r.code).toBe(0);
    const [killer, victim] = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(killer).toMatchObject({ problemId: "killer", matched: 2, timeouts: 1, replays: 0 });
    expect(victim).toMatchObject({ problemId: "victim", matched: 2, mismatched: 0 });
  }, 300_000);

  it("exits 2 on usage errors and unreadable input", () => {
    expect(runCli(["exec"]).code).toBe(2);
    expect(runCli(["exec", dump, "--workers", "zero"]).code).toBe(2);
    const missing = runCli(["exec", join(dir, "missing.jsonl"), "--workers", "1"], { timeout: 300_000 });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing.jsonl");
  }, 300_000);
});
