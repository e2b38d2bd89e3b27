// The markup parsers on their own: harmony, OpenMath TIR, tool outputs, and large inputs.
import { describe, expect, it } from "vitest";
import { extractAnswer } from "../src/extract/index.js";
import {
  normalizeToolOutput,
  parseHarmony,
  parseOpenMathTir,
  parseTrace,
  renderToolOutput,
} from "../src/traces/index.js";

const call = (code: string) => `<|start|>assistant<|channel|>analysis to=python code<|message|>${code}<|call|>`;
const reply = (out: string) => `<|start|>python code to=assistant<|channel|>analysis<|message|>${out}<|end|>`;
const analysis = (text: string) => `<|start|>assistant<|channel|>analysis<|message|>${text}<|end|>`;
const final = (text: string) => `<|start|>assistant<|channel|>final<|message|>${text}<|return|>`;

describe("harmony", () => {
  it("several tool calls with their outputs, in order", () => {
    const text =
      "<|channel|>analysis<|message|>Plan: \\boxed{0} is wrong.<|end|>" +
      call("x = 2\nx**10") +
      reply("1024\n") +
      analysis("Now a loop.") +
      call("for i in range(3):\n    print(i)") +
      reply("0\n1\n2\n") +
      call("1/0") +
      reply("Traceback (most recent call last):\nZeroDivisionError: division by zero\n") +
      final("So $2^{10} = \\boxed{1024}$.");
    const parsed = parseHarmony(text);
    expect(parsed.toolCalls).toEqual([
      { code: "x = 2\nx**10", output: "1024\n" },
      { code: "for i in range(3):\n    print(i)", output: "0\n1\n2\n" },
      { code: "1/0", output: "Traceback (most recent call last):\nZeroDivisionError: division by zero\n" },
    ]);
    expect(parsed.reasoningText).toBe("Plan: \\boxed{0} is wrong.\nNow a loop.");
    expect(parsed.finalText).toBe("So $2^{10} = \\boxed{1024}$.");
    expect(extractAnswer(text)).toEqual({ answer: "1024", rule: "boxed" });
  });

  it("a tool call that opens a segment without <|start|>assistant (right after an output)", () => {
    const text =
      call("a = 3") +
      "<|start|>python code to=assistant<|channel|>analysis<|message|>\n<|end|><|start|>assistant" +
      "<|channel|>analysis to=python code<|message|>a*a<|call|>" +
      reply("9\n") +
      final("\\boxed{9}");
    expect(parseHarmony(text).toolCalls).toEqual([
      { code: "a = 3", output: "\n" },
      { code: "a*a", output: "9\n" },
    ]);
  });

  it("a trace cut inside a tool call or before the final channel", () => {
    const cutInCall = "<|channel|>analysis<|message|>Let me compute.<|end|>" + call("print(1)") + reply("1\n") +
      "<|start|>assistant<|channel|>analysis to=python code<|message|>while True:\n    pa";
    const parsed = parseHarmony(cutInCall);
    expect(parsed.toolCalls).toEqual([
      { code: "print(1)", output: "1\n" },
      { code: "while True:\n    pa", output: null },
    ]);
    expect(parsed.finalText).toBe("");
    expect(extractAnswer(cutInCall)).toEqual({ answer: null, rule: "none" });
  });

  it("a rendered conversation: system mode and tools, user problem", () => {
    const text =
      "<|start|>system<|message|>You are ChatGPT.\nReasoning: medium\n\n# Tools\n\n## python\n\nUse this tool.<|end|>" +
      "<|start|>user<|message|>What is 1+1?\nPlease reason step by step.<|end|>" +
      analysis("Easy.") +
      final("\\boxed{2}");
    const parsed = parseHarmony(text);
    expect(parsed).toMatchObject({ mode: "medium", toolsAvailable: true, problem: "What is 1+1?\nPlease reason step by step." });
    expect(parsed.reasoningText).toBe("Easy.");
    expect(parsed.toolCalls).toEqual([]);

    // As a row: a bare JSON string, or {text}; the id is the hash of the user message.
    const fromString = parseTrace(text, { fileName: "high.jsonl" });
    expect(fromString.ok && fromString.trace).toMatchObject({ format: "harmony", mode: "medium", tool: true, gold: null });
    const fromObject = parseTrace({ text, expected_answer: "2", uuid: "u1" });
    expect(fromObject.ok && fromObject.trace).toMatchObject({ format: "harmony", problemId: "u1", gold: "2", finalText: "\\boxed{2}" });
  });

  it("commentary-channel calls to functions.* and their replies", () => {
    const text =
      "<|start|>assistant<|channel|>commentary to=functions.python <|constrain|>json<|message|>{\"code\":\"1+1\"}<|call|>" +
      "<|start|>functions.python to=assistant<|channel|>commentary<|message|>2<|end|>" +
      final("\\boxed{2}");
    expect(parseHarmony(text).toolCalls).toEqual([{ code: '{"code":"1+1"}', output: "2" }]);
  });
});

describe("OpenMath TIR", () => {
  it("<tool_call> with a truncated output, a run-out notice, and a call without output", () => {
    const text =
      "<think>\nCount digits.\n<tool_call>\nprint('7'*1200)\n</tool_call>\n```output\n" +
      "7".repeat(1000) +
      "<output cut>```\n```system\nRemaining code executions: 1. You will not be able to call code when you run out of executions, so use it wisely. Note that you can still continue solving the problem without code after that.\n```\n" +
      "Next.\n<tool_call>\nlen('7'*1200)\n</tool_call>\n```output\n1200\n```\n" +
      "Last try.\n<tool_call>\nimport math\n</tool_call>\nNo output came back.\n</think>\nThere are \\boxed{1200} sevens.";
    const parsed = parseOpenMathTir(text);
    expect(parsed.toolCalls).toEqual([
      { code: "print('7'*1200)", output: `${"7".repeat(1000)}<output cut>` },
      { code: "len('7'*1200)", output: "1200\n" },
      { code: "import math", output: null },
    ]);
    expect(parsed.finalText).toBe("\nThere are \\boxed{1200} sevens.");
    expect(parsed.reasoningText.startsWith("\nCount digits.")).toBe(true);
  });

  it("a generation cut inside <think> or inside the code", () => {
    const cut = parseOpenMathTir("<think>\nTry.\n<tool_call>\nfor i in range(");
    expect(cut.finalText).toBe("");
    expect(cut.toolCalls).toEqual([{ code: "for i in range(", output: null }]);
  });

  it("empty output and output at the very end of the text", () => {
    const parsed = parseOpenMathTir("<tool_call>\nx = 1\n</tool_call>\n```output\n```\n<tool_call>\nx\n</tool_call>\n```output\n1");
    expect(parsed.toolCalls).toEqual([
      { code: "x = 1", output: "" },
      { code: "x", output: "1" },
    ]);
  });

  it("a ```python block without output in a written solution is not a call; at the very end it is", () => {
    const shown = parseOpenMathTir("One could check with:\n```python\nprint(2+2)\n```\nwhich prints 4, so \\boxed{4}.");
    expect(shown.toolCalls).toEqual([]);
    const pending = parseOpenMathTir("Let me run it.\n```python\nprint(2+2)\n```\n");
    expect(pending.toolCalls).toEqual([{ code: "print(2+2)", output: null }]);
    const row = parseTrace({ problem: "2+2?", expected_answer: "4", generated_solution: "See:\n```python\nprint(4)\n```\nSo \\boxed{4}.", inference_mode: "cot" });
    expect(row.ok && row.trace.tool).toBe(false);
  });

  it("text without think tags is all final", () => {
    expect(parseOpenMathTir("Thus \\boxed{4}.")).toEqual({ finalText: "Thus \\boxed{4}.", reasoningText: "", toolCalls: [] });
  });
});

describe("tool outputs as traces record them", () => {
  it("renders stdout then stderr; Nemotron tool messages drop one trailing newline", () => {
    const output = { stdout: "(15, 144)\n", stderr: "" };
    expect(renderToolOutput(output, "openmath")).toBe("(15, 144)\n");
    expect(renderToolOutput(output, "harmony")).toBe("(15, 144)\n");
    expect(renderToolOutput(output, "nemotron")).toBe("(15, 144)");
    expect(renderToolOutput({ stdout: "a\n\n", stderr: "" }, "nemotron")).toBe("a\n");
    expect(renderToolOutput({ stdout: "1\n", stderr: "warn\n" }, "nemo-skills")).toBe("1\nwarn\n");
  });

  it("normalizes line ends and trailing blanks but keeps <output cut>", () => {
    expect(normalizeToolOutput("a  \r\nb\t\n\n")).toBe("a\nb");
    expect(normalizeToolOutput("111<output cut>")).toBe("111<output cut>");
  });
});

describe("large traces", () => {
  it("parses a 1 MB harmony generation with 200 tool calls", () => {
    let text = "";
    for (let i = 0; i < 200; i++) {
      text += analysis(`Step ${i}: ${"reasoning ".repeat(450)}`) + call(`print(${i})`) + reply(`${i}\n`);
    }
    text += final("\\boxed{199}");
    expect(text.length).toBeGreaterThan(900_000);
    const result = parseTrace({ uuid: "big", expected_answer: "199", generation: text });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.trace.toolCalls).toHaveLength(200);
    expect(result.trace.toolCalls[199]).toEqual({ code: "print(199)", output: "199\n" });
    expect(extractAnswer(result.trace.finalText).answer).toBe("199");
  });

  it("parses 1 MB of markup-free text and of repeated unmatched tokens", () => {
    const plain = parseTrace({ id: "p", gold: "1", response: "word ".repeat(200_000) });
    expect(plain.ok && plain.trace.finalText.length).toBe(1_000_000);
    const messages = parseHarmony("<|message|>".repeat(100_000));
    expect(messages.finalText).toBe("");
    const ends = parseHarmony("<|channel|>analysis<|message|>x" + "<|end|>".repeat(100_000));
    expect(ends.reasoningText.startsWith("x")).toBe(true);
    const inequalities = parseTrace({ id: "i", gold: "1", response: "|a|<|b| and 1 < 2. ".repeat(50_000) + "<think>x</think>\\boxed{1}" });
    expect(inequalities.ok && inequalities.trace.finalText).toBe("\\boxed{1}");
    const tags = parseOpenMathTir("<tool_call>\n</tool_call>\n".repeat(50_000));
    expect(tags.toolCalls).toHaveLength(50_000);
  });
});
