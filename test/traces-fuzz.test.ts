// Seeded random texts built from the markup fragments the parsers look for: nothing throws, and
// what comes out is a piece of what went in.
import { describe, expect, it } from "vitest";
import { extractAnswer, finalPart } from "../src/extract/index.js";
import { parseHarmony, parseOpenMathTir, parseTrace } from "../src/traces/index.js";

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
