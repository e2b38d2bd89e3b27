// Seeded random texts built from the markup fragments the parsers look for: nothing throws, and
// what comes out is a piece of what went in.
import { describe, expect, it } from "vitest";
import { extractAnswer, finalPart } from "../src/extract/index.js";
import { parseHarmony, parseOpenMathTir, parseResponseText, parseTrace } from "../src/traces/index.js";

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  "\\boxed{", "\\boxed ", "\\fbox{", "{", "}", "\\{", "\\}", "\\\\", "$", "$$", "\\(", "\\)", "\\[", "\\]",
  "<think>", "</think>", "<tool_call>\n", "\n</tool_call>\n", "```python\n", "```output\n", "```\n", "<output cut>",
  "<|start|>", "assistant", "<|channel|>", "analysis", "final", " to=python code", "<|message|>", "<|end|>", "<|call|>",
  "<|return|>", "python code to=assistant", "The answer is ", "Final answer: ", "answer", "**", "x = ", "3/4", "1,234",
  "-5", "12.5", "%", ".", " ", "\n", "so", "the total is", "\\frac{1}{2}", "\\text{Yes}", "é", "😀",
];

function randomText(rand: () => number, pieces: number): string {
  let text = "";
  for (let i = 0; i < pieces; i++) text += FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)];
  return text;
}

describe("random markup", () => {
  const rand = rng(2024);
  const texts = Array.from({ length: 3000 }, () => randomText(rand, 1 + Math.floor(rand() * 60)));

  it("extractAnswer never throws; a boxed answer comes from the final part", () => {
    for (const text of texts) {
      for (const options of [{}, { loose: false }, { response: true }]) {
        const { answer, rule } = extractAnswer(text, options);
        expect(rule === "none").toBe(answer === null);
        if (rule === "boxed") expect(finalPart(text).includes(answer as string)).toBe(true);
        if (answer !== null) expect((rule === "bare" ? text : finalPart(text)).includes(answer)).toBe(true);
      }
    }
  });

  it("the markup parsers never throw and return pieces of their input", () => {
    for (const text of texts) {
      for (const parsed of [parseHarmony(text), parseOpenMathTir(text)]) {
        expect(text.includes(parsed.finalText)).toBe(true);
        for (const call of parsed.toolCalls) {
          expect(text.includes(call.code)).toBe(true);
          if (call.output !== null) expect(text.includes(call.output)).toBe(true);
        }
      }
      const row = parseTrace({ id: "r", gold: "1", response: text });
      expect(row.ok).toBe(true);
    }
  });
});

/** Well-formed harmony and TIR texts (random structure and bodies, valid tokens). */
function wellFormed(rand: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const BODY = ["x = 5", "\\boxed{7}", " so ", "$a<b$", "\\frac{1}{2}", "\n", "final", "think", "answer: 3", "|x|<|y|"];
  const body = () => Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(BODY)).join("");
  let text = "";
  if (rand() < 0.5) {
    const count = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < count; i++) {
      const kind = pick(["analysis", "final", "call", "output", "user", "system"] as const);
      const start = i === 0 && rand() < 0.5 ? "" : "<|start|>";
      const header = {
        analysis: "assistant<|channel|>analysis",
        final: "assistant<|channel|>final",
        call: "assistant<|channel|>analysis to=python code",
        output: "python code to=assistant<|channel|>analysis",
        user: "user",
        system: "system",
      }[kind];
      const end = kind === "call" ? "<|call|>" : kind === "final" ? pick(["<|return|>", "<|end|>", ""]) : "<|end|>";
      text += `${start}${start === "" ? header.replace(/^assistant/, "") : header}<|message|>${body()}${i === count - 1 && rand() < 0.3 ? "" : end}`;
    }
  } else {
    if (rand() < 0.8) text += "<think>\n";
    for (let i = Math.floor(rand() * 3); i > 0; i--) {
      text += `${body()}\n<tool_call>\nprint(${i})\n</tool_call>\n\`\`\`output\n${i}\n\`\`\`\n`;
    }
    text += body();
    if (rand() < 0.8) text += "\n</think>\n" + body();
    if (rand() < 0.1) text += "<think>" + body();
  }
  return text;
}

describe("well-formed traces", () => {
  it("extraction's final part and the trace parsers agree", () => {
    const rand = rng(99);
    for (let i = 0; i < 5000; i++) {
      const text = wellFormed(rand);
      expect(parseResponseText(text).finalText, JSON.stringify(text)).toBe(finalPart(text));
    }
  });
});
