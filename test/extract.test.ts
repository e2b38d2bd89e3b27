import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extractAnswer, finalPart, looksLikeResponse } from "../src/extract/index.js";

const ex = (text: string, loose?: boolean) => extractAnswer(text, loose === undefined ? undefined : { loose });

describe("bare answers", () => {
  it.each([
    ["\\frac{1}{2}", "\\frac{1}{2}"],
    ["x = 5", "x = 5"],
    ["(1, 2]", "(1, 2]"],
    ["3\\sqrt2", "3\\sqrt2"],
    ["1,234", "1,234"],
    ["\\text{Evelyn}", "\\text{Evelyn}"],
    ["  $\\frac12$ ", "\\frac12"],
    ["\\( 2^{10} \\)", "2^{10}"],
    ["$$x^2$$", "x^2"],
    ["all real numbers", "all real numbers"],
    ["\\{1, 2\\} \\cup [3, \\infty)", "\\{1, 2\\} \\cup [3, \\infty)"],
    ["\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"],
  ])("%s is a bare answer", (text, answer) => {
    expect(ex(text)).toEqual({ answer, rule: "bare" });
    expect(ex(text, false)).toEqual({ answer, rule: "bare" });
  });

  it("a non-string is a clear error", () => {
    expect(() => extractAnswer(null as unknown as string)).toThrow("extractAnswer: expected a string, got null");
    expect(() => extractAnswer(5 as unknown as string)).toThrow(TypeError);
  });

  it("empty and blank input have no answer", () => {
    expect(ex("")).toEqual({ answer: null, rule: "none" });
    expect(ex("   ")).toEqual({ answer: null, rule: "none" });
  });

  it("a short sentence is a response, not a text answer", () => {
    expect(ex("I cannot decide.")).toEqual({ answer: null, rule: "none" });
    expect(ex("No real solutions exist!")).toEqual({ answer: null, rule: "none" });
    expect(ex("no real solutions")).toEqual({ answer: "no real solutions", rule: "bare" });
  });

  it("with response: true a text is never a bare answer", () => {
    expect(extractAnswer("Evelyn", { response: true })).toEqual({ answer: null, rule: "none" });
    expect(extractAnswer("42", { response: true })).toEqual({ answer: "42", rule: "last_math" });
    expect(extractAnswer("42", { response: true, loose: false })).toEqual({ answer: null, rule: "none" });
    expect(extractAnswer("\\boxed{7}", { response: true, loose: false })).toEqual({ answer: "7", rule: "boxed" });
  });

  it("responses are recognised as responses", () => {
    for (const text of ["So x = 3/4", "The total is 1,234.", "\\boxed{5}", "<think>x</think>5", "The answer is 4", "It is 5. Then 6"]) {
      expect(looksLikeResponse(text), text).toBe(true);
    }
  });
});

describe("boxed answers", () => {
  it("takes the last box", () => {
    expect(ex("first \\boxed{1} then \\boxed{2}.")).toEqual({ answer: "2", rule: "boxed" });
  });

  it("handles nested and escaped braces", () => {
    expect(ex("so \\boxed{\\frac{\\sqrt{3}}{2}}.").answer).toBe("\\frac{\\sqrt{3}}{2}");
    expect(ex("set \\boxed{\\{1, \\{2\\}\\}} done").answer).toBe("\\{1, \\{2\\}\\}");
    expect(ex("rows \\boxed{\\begin{pmatrix}1\\\\2\\end{pmatrix}} ok").answer).toBe("\\begin{pmatrix}1\\\\2\\end{pmatrix}");
    expect(ex("a \\boxed{a\\}b} c").answer).toBe("a\\}b");
    // `\\` is an escaped backslash: the brace after it closes the box.
    expect(ex("a \\boxed{x\\\\} c").answer).toBe("x\\\\");
  });

  it("accepts \\boxed {..}, \\fbox{..} and \\boxed 5", () => {
    expect(ex("thus \\boxed {5}").answer).toBe("5");
    expect(ex("thus \\fbox{7}").answer).toBe("7");
    expect(ex("thus $\\boxed 5$.").answer).toBe("5");
    expect(ex("thus \\boxed 12.").answer).toBe("12");
    expect(ex("thus \\boxed\n{5}").answer).toBe("5");
  });

  it("ignores longer command names that start with \\boxed", () => {
    expect(ex("we get \\boxedfoo{3} and \\boxed{4} and \\boxedfoo{5}").answer).toBe("4");
  });

  it("an unterminated last box yields no answer, even loosely", () => {
    expect(ex("the answer is \\boxed{\\frac{1}{2}")).toEqual({ answer: null, rule: "none" });
    expect(ex("first \\boxed{1} then \\boxed{2")).toEqual({ answer: null, rule: "none" });
  });

  it("keeps an empty box as an empty answer", () => {
    expect(ex("so \\boxed{}")).toEqual({ answer: "", rule: "boxed" });
  });
});

describe("final part", () => {
  const harmony =
    "<|channel|>analysis<|message|>maybe \\boxed{3}<|end|><|start|>assistant<|channel|>final<|message|>It is \\boxed{4}.<|return|>";

  it("harmony: the final channel, not analysis", () => {
    expect(finalPart(harmony)).toBe("It is \\boxed{4}.");
    expect(ex(harmony)).toEqual({ answer: "4", rule: "boxed" });
  });

  it("harmony without a final channel has no answer", () => {
    const text = "<|channel|>analysis<|message|>so \\boxed{3} probably<|end|>";
    expect(finalPart(text)).toBe("");
    expect(ex(text)).toEqual({ answer: null, rule: "none" });
  });

  it("harmony final channel without an end token runs to the end", () => {
    expect(finalPart("<|channel|>analysis<|message|>a<|end|><|start|>assistant<|channel|>final<|message|>x = \\boxed{9}")).toBe("x = \\boxed{9}");
  });

  it("think blocks: after the last </think>; an unclosed <think> has no final part", () => {
    expect(ex("<think>\\boxed{1}</think>So it is \\boxed{2}")).toEqual({ answer: "2", rule: "boxed" });
    expect(ex("<think>\\boxed{1}</think>So it is 2.")).toEqual({ answer: "2", rule: "last_number" });
    expect(ex("<think>\\boxed{1}</think>No box here")).toEqual({ answer: null, rule: "none" });
    expect(ex("<think>still thinking \\boxed{1}")).toEqual({ answer: null, rule: "none" });
    // A second think block that never closes: the text stopped while reasoning again.
    expect(finalPart("<think>a</think>b \\boxed{2}<think>c")).toBe("");
    // "think>" inside other words is no tag.
    expect(finalPart("rethink> this: \\boxed{3}")).toBe("rethink> this: \\boxed{3}");
  });
});

describe("answer phrases", () => {
  it.each([
    ["The answer is $\\frac{3}{4}$.", "\\frac{3}{4}"],
    ["Therefore, the final answer is \\(12\\).", "12"],
    ["**Final Answer**\n\n\\[\n x = 7\n\\]", "x = 7"],
    ["**Answer:** $-2$", "-2"],
    ["Final answer: 42", "42"],
    ["So the answer is B.", "B"],
    ["The final answer is 42\nmore text", "42"],
    ["ANSWER: \\text{Tuesday}", "\\text{Tuesday}"],
  ])("%j → %s", (text, answer) => {
    expect(ex(text)).toEqual({ answer, rule: "answer_phrase" });
    expect(ex(text, false)).toEqual({ answer, rule: "answer_phrase" });
  });

  it("skips phrases followed by prose", () => {
    expect(ex("The answer is that we need more than 5 steps to do it.", false)).toEqual({ answer: null, rule: "none" });
  });

  it("a box beats a later answer phrase", () => {
    expect(ex("we get \\boxed{7}. The final answer is 8").answer).toBe("7");
  });
});

describe("loose fallbacks", () => {
  it.each([
    ["So x = 3/4", "3/4", "last_number"],
    ["The total is 1,234.", "1,234", "last_number"],
    ["Thus we get $x=2$ and so the total is -5.", "-5", "last_number"],
    ["The value drops by 25% overall.", "25%", "last_number"],
    ["It equals 3.75 in the end", "3.75", "last_number"],
    ["We have $x = 4$.", "x = 4", "last_math"],
    ["Hence \\(\\frac{\\pi}{2}\\) is the result of step 3 and of all of it: \\[ \\frac{\\pi}{2} \\]", "\\frac{\\pi}{2}", "last_math"],
    ["It costs \\$5 and more", "5", "last_number"],
    ["So x = \\frac{3}{4}.", "\\frac{3}{4}", "last_number"],
    ["So it comes to \\dfrac{\\sqrt{3}}{2}.", "\\dfrac{\\sqrt{3}}{2}", "last_number"],
    ["Thus it is 2\\sqrt{3}.", "2\\sqrt{3}", "last_number"],
    ["The value is 10^{-3} now.", "10^{-3}", "last_number"],
    ["It equals 2\\pi.", "2\\pi", "last_number"],
    ["It is −7.", "−7", "last_number"],
    ["Done in step {5} here", "5", "last_number"],
  ])("%j → %s (%s)", (text, answer, rule) => {
    expect(ex(text)).toEqual({ answer, rule });
  });

  it("are off with loose: false", () => {
    expect(ex("So x = 3/4", false)).toEqual({ answer: null, rule: "none" });
    expect(ex("We have $x = 4$.", false)).toEqual({ answer: null, rule: "none" });
  });

  it("a final part that is a bare expression is the answer", () => {
    expect(ex("<think>hmm</think>\n\\frac{1}{2}\n")).toEqual({ answer: "\\frac{1}{2}", rule: "last_math" });
  });

  it("prose without numbers or math has no answer", () => {
    expect(ex("I cannot solve this problem. Sorry about that.")).toEqual({ answer: null, rule: "none" });
  });
});

describe("large inputs", () => {
  it("extracts from a 1 MB trace with the box at the end", () => {
    const reasoning = "We compute $a_n = 2^n$ step by step, 1, 2, 4, 8. ".repeat(22_000);
    const text = `<think>${reasoning}</think>The answer is \\boxed{1024}.`;
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(ex(text)).toEqual({ answer: "1024", rule: "boxed" });
  });

  it("handles 1 MB of text without a box or delimiters (worst cases for the backward scans)", () => {
    const words = "word ".repeat(250_000);
    expect(ex(words)).toEqual({ answer: null, rule: "none" });
    const dollars = "$".repeat(1_000_000);
    expect(ex(`x ${dollars} y`).rule).toBe("none");
    const braces = `\\boxed${"{".repeat(1_000_000)}`;
    expect(ex(braces)).toEqual({ answer: null, rule: "none" });
    const terms = `It is 2${"\\pi".repeat(300_000)}`;
    expect(ex(terms).rule).toBe("last_number");
    const groups = `It is ${"{".repeat(500_000)}5${"}".repeat(500_000)}`;
    expect(ex(groups).answer).toBe("5");
    const answers = "answer answer: the answer is ".repeat(40_000);
    expect(ex(answers).answer).toBeNull();
  });
});

describe("memory", () => {
  it("answers do not keep their (large) traces alive", () => {
    // 200 traces of 1 MB each; only the answers are kept. Runs on the compiled module (global setup)
    // in a child process with --expose-gc to measure what stays on the heap.
    const module = fileURLToPath(new URL("../dist/extract/index.js", import.meta.url));
    const script = `
      const { extractAnswer } = await import(${JSON.stringify(module)});
      const kept = [];
      global.gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 200; i++) {
        // Buffer round trip: a flat string (not a rope), so a slice of it would keep all of it alive.
        const trace = Buffer.from("We reason at length. ".repeat(50000) + i + " so \\\\boxed{\\\\frac{\\\\sqrt{3}}{2} + " + i + "}.").toString();
        kept.push(extractAnswer(trace).answer);
      }
      global.gc();
      global.gc();
      console.log(JSON.stringify({ retained: process.memoryUsage().heapUsed - before, first: kept[0] }));
    `;
    const run = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const { retained, first } = JSON.parse(run.stdout);
    expect(first).toBe("\\frac{\\sqrt{3}}{2} + 0");
    expect(retained).toBeLessThan(20_000_000); // the traces themselves total 200 MB
  });
});
