import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractAnswer } from "../src/extract/index.js";
import { detectFormat, parseTrace, problemIdOf, type ParseContext } from "../src/traces/index.js";
import type { Trace } from "../src/types.js";

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/traces/${name}.json`, import.meta.url), "utf8"));

function parsed(row: unknown, context?: ParseContext): Trace {
  const result = parseTrace(row, context);
  if (!result.ok) throw new Error(`expected a trace, got: ${result.reason}`);
  return result.trace;
}

const sha16 = (text: string) => createHash("sha1").update(text).digest("hex").slice(0, 16);

describe("examples of trace_formats.md", () => {
  it("A1: OpenMathReasoning TIR row", () => {
    const row = fixture("A1-openmath-tir");
    expect(detectFormat(row)).toBe("openmath");
    const trace = parsed(row);
    expect(trace).toMatchObject({ format: "openmath", gold: "70", tool: true, mode: "unknown", sample: null, tokens: null });
    expect(trace.problemId).toBe(sha16(row.problem as string));
    expect(trace.toolCalls).toEqual([
      {
        code:
          "# Initialize sum\ntotal_sum = 0\n# Iterate over possible bases b from 10 to 49 inclusive\nfor b in range(10, 50):\n" +
          "    divisor = b + 7\n    dividend = 9*b + 7\n    if dividend % divisor == 0:\n        total_sum += b\ntotal_sum",
        output: "70\n",
      },
    ]);
    expect(trace.reasoningText).toContain("Let me just brute force it.");
    expect(trace.reasoningText).not.toContain("<think>");
    expect(trace.finalText).toBe("\nSince $9b+7 = 9(b+7) - 56$, we need $(b+7) \\mid 56$ ... \n\\boxed{70}");
    expect(extractAnswer(trace.finalText)).toEqual({ answer: "70", rule: "boxed" });
  });

  it("A2: NeMo-Skills TIR generation with an error output and the run-out notice", () => {
    const row = fixture("A2-nemo-skills-tir");
    expect(detectFormat(row)).toBe("nemo-skills");
    const trace = parsed(row, { fileName: "/runs/tir/output-rs3.jsonl" });
    expect(trace).toMatchObject({ format: "nemo-skills", gold: "3", tool: true, sample: 3, tokens: 187 });
    expect(trace.toolCalls).toEqual([
      {
        code: "print(roots)",
        output: "Traceback (most recent call last):\n    print(roots)\nNameError: name 'roots' is not defined\n",
      },
      { code: "import sympy as sp\nx = sp.symbols('x')\nsp.solve(x**2 - 5*x + 6, x)", output: "[2, 3]\n" },
    ]);
    expect(trace.finalText).toBe("\nThe roots are $2$ and $3$; the larger is \\boxed{3}.\n");
    expect(trace.reasoningText).toContain("Oops, I forgot to define it.");
    expect(extractAnswer(trace.finalText).answer).toBe("3");
  });

  it("A3: ```python fences and a truncated output whose fence shares the line with <output cut>", () => {
    const trace = parsed(fixture("A3-openmath-python-fences"));
    expect(trace.toolCalls).toHaveLength(1);
    expect(trace.toolCalls[0].code).toBe("print('1'*1500)");
    expect(trace.toolCalls[0].output).toBe(`${"1".repeat(1000)}<output cut>`);
    expect(trace.finalText).toContain("The output is too long");
    expect(extractAnswer(trace.finalText).answer).toBe("1500");
  });

  it("B1: NeMo-Skills generation with harmony tokens", () => {
    const row = fixture("B1-nemo-skills-harmony");
    const trace = parsed(row, { mode: "high" });
    expect(trace).toMatchObject({ format: "nemo-skills", gold: "15", tool: true, mode: "high" });
    expect(trace.toolCalls).toEqual([{ code: "import sympy as sp\nn = 2**4 * 3**2\nsp.divisor_count(n), n", output: "(15, 144)\n" }]);
    expect(trace.reasoningText).toBe(
      "We need the number of positive divisors of 2^4*3^2 ... Let's compute.\nSo 15 divisors.",
    );
    expect(trace.finalText).toBe(
      "The number $144=2^4\\cdot 3^2$ has $(4+1)(2+1)=15$ positive divisors.\n\n\\[\n\\boxed{15}\n\\]\n",
    );
  });

  it("B2: Nemotron-Math-v2 TIR row; mode from the file name", () => {
    const row = fixture("B2-nemotron-tir");
    expect(detectFormat(row)).toBe("nemotron");
    const trace = parsed(row, { fileName: "data/high.part_00.jsonl", mode: "low" });
    expect(trace).toMatchObject({ format: "nemotron", problemId: "0b6f9c2e-....", gold: "15", mode: "high", tool: true });
    expect(trace.problem).toBe("How many positive divisors does $144$ have?");
    expect(trace.toolCalls).toEqual([{ code: "import sympy as sp\nn = 2**4 * 3**2\nsp.divisor_count(n), n", output: "(15, 144)" }]);
    expect(trace.reasoningText).toBe("We need the number of positive divisors of 2^4*3^2 ... Let's compute.\nSo 15 divisors.");
    expect(extractAnswer(trace.finalText)).toEqual({ answer: "15", rule: "boxed" });
  });

  it("B3: Nemotron-Math-v2 row without tool; mode from the CLI when the file name says nothing", () => {
    const row = fixture("B3-nemotron-no-tool");
    expect(parsed(row, { fileName: "low.jsonl" })).toMatchObject({ mode: "low", tool: false, toolCalls: [] });
    const trace = parsed(row, { fileName: "part-7.jsonl", mode: "medium" });
    expect(trace).toMatchObject({ mode: "medium", tool: false, gold: "3" });
    expect(trace.problemId).toBe(sha16(row.problem as string));
    expect(trace.reasoningText).toBe("Standard limit: sin(3x)/x -> 3.");
    expect(parsed(row).mode).toBe("unknown");
  });
});

describe("Nemotron-style messages", () => {
  const row = {
    uuid: "p-1",
    problem: "What is 6*7 + 1?",
    expected_answer: "43",
    tools: [{ type: "function", function: { name: "stateful_python_code_exec" } }],
    messages: [
      { role: "system", content: "You are helpful." },
      { role: "user", content: "What is 6*7 + 1?" },
      {
        role: "assistant",
        content: "",
        reasoning_content: "Guess \\boxed{41}? Let me check twice.",
        tool_calls: [
          { id: "a", type: "function", function: { name: "stateful_python_code_exec", arguments: '{"code": "print(6*7)"}' } },
          { id: "b", type: "function", function: { name: "stateful_python_code_exec", arguments: { code: "6*7 + 1" } } },
        ],
      },
      // Replies out of order: matched by tool_call_id.
      { role: "tool", tool_call_id: "b", content: "43" },
      { role: "tool", tool_call_id: "a", content: "42" },
      { role: "assistant", content: "Between calls.", reasoning_content: "Now one more." , tool_calls: [{ id: "c", function: { arguments: '{"code": "x = 1/0"}' } }] },
      { role: "tool", content: "Traceback (most recent call last):\nZeroDivisionError: division by zero" },
      { role: "assistant", reasoning_content: "Done.", content: [{ type: "text", text: "So the value is " }, { type: "text", text: "\\boxed{43}." }] },
    ],
  };

  it("collects calls, matches replies by id then in order, keeps reasoning apart from the final content", () => {
    const trace = parsed(row);
    expect(trace.toolCalls).toEqual([
      { code: "print(6*7)", output: "42" },
      { code: "6*7 + 1", output: "43" },
      { code: "x = 1/0", output: "Traceback (most recent call last):\nZeroDivisionError: division by zero" },
    ]);
    expect(trace.reasoningText).toBe("Guess \\boxed{41}? Let me check twice.\nNow one more.\nBetween calls.\nDone.");
    expect(trace.finalText).toBe("So the value is \\boxed{43}.");
    expect(trace.tool).toBe(true);
    // The box in the reasoning is not the answer.
    expect(extractAnswer(trace.finalText).answer).toBe("43");
  });

  it("a call without a reply has output null; a trace that stops after a tool call has an empty final part", () => {
    const truncated = { ...row, messages: row.messages.slice(0, 3) };
    const trace = parsed(truncated);
    expect(trace.toolCalls.map((call) => call.output)).toEqual([null, null]);
    expect(trace.finalText).toBe("");
    expect(extractAnswer(trace.finalText)).toEqual({ answer: null, rule: "none" });
  });

  it("a last assistant message that calls a tool is not the final answer", () => {
    const stopped = {
      ...row,
      messages: [
        row.messages[1],
        { role: "assistant", content: "Maybe \\boxed{41}; let me check.", tool_calls: [{ id: "z", function: { arguments: '{"code": "6*7+1"}' } }] },
        { role: "tool", tool_call_id: "z", content: "43" },
      ],
    };
    const trace = parsed(stopped);
    expect(trace.finalText).toBe("");
    expect(trace.reasoningText).toBe("Maybe \\boxed{41}; let me check.");
    expect(trace.toolCalls).toEqual([{ code: "6*7+1", output: "43" }]);
  });

  it("tool use falls back to `tools` when the trace has no calls", () => {
    const noCalls = { ...row, messages: [row.messages[1], { role: "assistant", content: "\\boxed{43}" }] };
    expect(parsed(noCalls).tool).toBe(true);
    expect(parsed({ ...noCalls, tools: [] }).tool).toBe(false);
    const { tools: _tools, ...withoutTools } = noCalls;
    expect(parsed(withoutTools).tool).toBe(false);
  });

  it("mode from the row beats the file name", () => {
    expect(parsed({ ...row, mode: "Low" }, { fileName: "high.jsonl" }).mode).toBe("low");
    expect(parsed({ ...row, metadata: { reasoning_effort: "medium" } }, { fileName: "high.jsonl" }).mode).toBe("medium");
  });

  it("splits <think> inside the last content when the row did not separate the reasoning", () => {
    const inline = { ...row, messages: [row.messages[1], { role: "assistant", content: "<think>\\boxed{7}</think>It is \\boxed{43}" }] };
    const trace = parsed(inline);
    expect(trace.reasoningText).toBe("\\boxed{7}");
    expect(trace.finalText).toBe("It is \\boxed{43}");
  });
});

describe("generic rows", () => {
  it("{id, gold, response}", () => {
    const row = { id: 17, gold: "1/2", response: "So the answer is $\\frac12$.", tool: false, mode: "high", sample: 2 };
    expect(detectFormat(row)).toBe("generic");
    const trace = parsed(row);
    expect(trace).toMatchObject({ format: "generic", problemId: "17", gold: "1/2", mode: "high", tool: false, sample: 2, problem: null });
    expect(extractAnswer(trace.finalText).answer).toBe("\\frac12");
  });

  it("{problem_id, expected_answer, messages} with the problem taken from the user message", () => {
    const row = {
      problem_id: "q9",
      gold: 5,
      messages: [
        { role: "user", content: "2+3?" },
        { role: "assistant", content: "\\boxed{5}" },
      ],
    };
    expect(detectFormat(row)).toBe("generic");
    expect(parsed(row)).toMatchObject({ problemId: "q9", gold: "5", problem: "2+3?" });
    const { problem_id: _id, ...withoutId } = row;
    expect(parsed(withoutId).problemId).toBe(sha16("2+3?"));
  });

  it("{gold, generation} is generic, {expected_answer, generation} is NeMo-Skills", () => {
    expect(detectFormat({ gold: "1", generation: "x" })).toBe("generic");
    expect(detectFormat({ expected_answer: "1", generation: "x" })).toBe("nemo-skills");
  });

  it("generic response text with harmony tokens or think tags is parsed as such", () => {
    const trace = parsed({ id: "h", gold: "2", response: "<think>maybe \\boxed{1}</think>\\boxed{2}" });
    expect(trace.finalText).toBe("\\boxed{2}");
    expect(trace.reasoningText).toBe("maybe \\boxed{1}");
  });
});

describe("NeMo-Skills rows", () => {
  it("keeps predicted_answer, reads the sample from output-rsN.jsonl(.gz)", () => {
    const row = { problem: "p", expected_answer: "2", generation: "\\boxed{2}", predicted_answer: "2", num_generated_tokens: 12 };
    expect(parsed(row, { fileName: "output-rs12.jsonl.gz" })).toMatchObject({ sample: 12, predictedAnswer: "2", tokens: 12 });
    expect(parsed({ ...row, predicted_answer: null }).predictedAnswer).toBeNull();
    expect("predictedAnswer" in parsed({ problem: "p", generation: "x" })).toBe(false);
  });

  it("a top-level reasoning_content is reasoning", () => {
    const trace = parsed({ problem: "p", expected_answer: "2", generation: "So \\boxed{2}", reasoning_content: "think \\boxed{3}" });
    expect(trace.reasoningText).toBe("think \\boxed{3}");
    expect(trace.finalText).toBe("So \\boxed{2}");
  });

  it("a chat prompt kept beside the generation does not make it a messages row", () => {
    const row = { problem: "p", expected_answer: "2", messages: [{ role: "user", content: "p" }], generation: "\\boxed{2}" };
    expect(detectFormat(row)).toBe("nemo-skills");
    expect(parsed(row).finalText).toBe("\\boxed{2}");
  });

  it("an empty generation is a trace with no answer, not invalid input", () => {
    const trace = parsed({ problem: "p", expected_answer: "2", generation: "" });
    expect(trace.finalText).toBe("");
  });
});

describe("reference answers", () => {
  const base = { id: "x", response: "\\boxed{1}" };
  it.each([
    [{ gold: null }, null],
    [{ gold: "" }, null],
    [{ gold: "  " }, null],
    [{}, null],
    [{ gold: 27.5 }, "27.5"],
    [{ gold: "016" }, "016"],
    [{ expected_answer: "\\frac12" }, "\\frac12"],
    [{ answer: "7" }, "7"],
    [{ gold: null, expected_answer: "8" }, "8"],
  ])("%j → %j", (fields, gold) => {
    expect(parsed({ ...base, ...fields }).gold).toBe(gold);
  });
});

describe("problem ids", () => {
  it("uuid, then problem_id, then id, then the hash of the problem", () => {
    expect(problemIdOf({ uuid: "u", problem_id: "p", id: "i", problem: "t" })).toBe("u");
    expect(problemIdOf({ problem_id: "p", id: "i", problem: "t" })).toBe("p");
    expect(problemIdOf({ id: 0, problem: "t" })).toBe("0");
    expect(problemIdOf({ uuid: "", problem: "t" })).toBe(sha16("t"));
    expect(problemIdOf({ problem: "Find $x$ — ünïcode" })).toBe(sha16("Find $x$ — ünïcode"));
    expect(problemIdOf({ question: "q" })).toBe(sha16("q"));
    expect(problemIdOf({ response: "r" })).toBe("");
    expect(problemIdOf("text")).toBe("");
  });

  it("problemIdOf agrees with parseTrace on rows whose problem is only in the response", () => {
    const messages = { gold: "1", messages: [{ role: "user", content: [{ type: "text", text: "Q?" }] }, { role: "assistant", content: "1" }] };
    const harmony = "<|start|>user<|message|>What is 1+1?<|end|><|start|>assistant<|channel|>final<|message|>\\boxed{2}<|return|>";
    for (const row of [messages, harmony, { text: harmony }]) {
      const result = parseTrace(row);
      expect(result.ok).toBe(true);
      if (result.ok) expect(problemIdOf(row)).toBe(result.trace.problemId);
    }
    expect(problemIdOf(messages)).toBe(sha16("Q?"));
    expect(problemIdOf(harmony)).toBe(sha16("What is 1+1?"));
  });

  it("the same problem in two formats gets the same id", () => {
    const a = parsed({ problem: "Same?", expected_answer: "1", generation: "\\boxed{1}" });
    const b = parsed({ problem: "Same?", expected_answer: "1", generated_solution: "\\boxed{1}" });
    expect(a.problemId).toBe(b.problemId);
  });
});

describe("invalid rows", () => {
  it.each([
    [null, /row is null, expected a JSON object/],
    [undefined, /row is undefined, expected a JSON object/],
    [true, /row is a boolean/],
    [[1, 2], /row is an array/],
    [42, /row is a number/],
    ["just text", /fits no trace format/],
    [{ id: "a", gold: "1" }, /fits no trace format/],
    [{ id: "a", generation: null, expected_answer: "1" }, /`generation` is null, expected a string/],
    [{ id: "a", generated_solution: 5 }, /`generated_solution` is a number/],
    [{ uuid: "a", expected_answer: "1", messages: "hi" }, /`messages` is a string, expected an array/],
    [{ uuid: "a", expected_answer: "1", messages: [] }, /`messages` is empty/],
    [{ uuid: "a", expected_answer: "1", messages: [{ role: "user", content: "q" }] }, /no assistant message/],
    [{ uuid: "a", expected_answer: "1", messages: ["x"] }, /message 0 is not an object/],
    [{ uuid: "a", expected_answer: "1", messages: [{ role: "bot", content: "x" }] }, /unknown role "bot"/],
    [{ uuid: "a", expected_answer: "1", messages: [{ role: "assistant", content: 3 }] }, /content that is not text/],
    [{ uuid: "a", expected_answer: "1", messages: [{ role: "assistant", content: "", tool_calls: [{ id: "x" }] }] }, /tool call has no code/],
    [{ response: "\\boxed{1}", gold: "1" }, /no problem id .* and no problem text/],
    [{ id: "a", response: "x", gold: { value: 1 } }, /reference answer `gold` is an object/],
  ])("%j", (row, reason) => {
    const result = parseTrace(row);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("keeps the problem id when it is known", () => {
    const result = parseTrace({ uuid: "abc", expected_answer: "1", messages: [] }, { lineNumber: 12 });
    expect(result).toEqual({ ok: false, reason: "`messages` is empty", problemId: "abc" });
  });

  it("a failing row with a problem field keeps the hash of its problem as id", () => {
    const result = parseTrace({ problem: "What?", expected_answer: "1", generation: null });
    expect(result).toMatchObject({ ok: false, problemId: sha16("What?") });
    expect(parseTrace({ problem: "What?", gold: "1" })).toMatchObject({ ok: false, problemId: sha16("What?") });
  });

  it("a forced format the row does not fit is an error naming the format", () => {
    const result = parseTrace(fixture("B2-nemotron-tir"), { format: "openmath" });
    expect(result).toMatchObject({ ok: false, problemId: "0b6f9c2e-...." });
    if (!result.ok) expect(result.reason).toBe("row does not fit format openmath: row has no `generated_solution`");
  });

  it("harmony forced on a NeMo-Skills row reads its generation", () => {
    const trace = parsed(fixture("B1-nemo-skills-harmony"), { format: "harmony" });
    expect(trace.format).toBe("harmony");
    expect(trace.toolCalls).toHaveLength(1);
  });

  it("a forced format overrides detection", () => {
    const row = { id: "z", gold: "4", generation: "<think>1</think>\\boxed{4}" };
    expect(parsed(row, { format: "nemo-skills" }).format).toBe("nemo-skills");
  });
});
