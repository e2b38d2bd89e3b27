// Skimming reasoning_content out of raw rows must never change a verdict: rows parse to the same
// objects (but for the cut reasoning), malformed rows stay malformed, and grading gives identical rows.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { grade } from "../src/grade/index.js";
import { hasControlByte, skimReasoning, stringEnd } from "../src/grade/skim.js";

const skim = (text: string) => {
  const b = Buffer.from(text);
  const out = skimReasoning(b, 0, b.length);
  return out === null ? null : out.toString("utf8");
};

describe("skimReasoning", () => {
  it("cuts reasoning_content string values and keeps everything else", () => {
    const row = {
      uuid: "u",
      messages: [
        { role: "user", content: 'what is "reasoning_content":"x"?' },
        { role: "assistant", reasoning_content: 'quotes \\" and \" and \\\\ and \u00e9 \u2028 {"reasoning_content": 1}', content: "\\boxed{1}" },
      ],
    };
    const text = JSON.stringify(row);
    const cut = skim(text)!;
    const expected = structuredClone(row);
    expected.messages[1].reasoning_content = "";
    expect(JSON.parse(cut)).toEqual(expected);
    // Python's json.dumps spacing, and several values.
    const spaced = '{"a": 1, "reasoning_content" :  "abc\\"def", "b": [{"reasoning_content": "x"}]}';
    expect(JSON.parse(skim(spaced)!)).toEqual({ a: 1, reasoning_content: "", b: [{ reasoning_content: "" }] });
  });
  it("leaves rows without a cut alone", () => {
    expect(skim('{"a":"reasoning_content"}')).toBeNull(); // a value, not a key
    expect(skim('{"reasoning_content": 5}')).toBeNull(); // not a string
    expect(skim('{"say \\"reasoning_content": "x"}')).toBeNull(); // inside another key
    expect(skim('{"reasoning_content": "x"}'.slice(0, -2))).toBeNull(); // unterminated
  });
  it("never turns a malformed row into a valid one", () => {
    const bad = [
      '{"reasoning_content": "tab\there"}', // raw control character
      '{"reasoning_content": "bad \\x escape"}',
      '{"reasoning_content": "bad \\u12 escape"}',
      '{"reasoning_content": "ok"',
      '{"reasoning_content": "ok" "x": 1}',
    ];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      const cut = skim(text);
      if (cut !== null) expect(() => JSON.parse(cut), text).toThrow();
    }
  });
  it("finds string ends and control bytes exactly", () => {
    const b = Buffer.from('ab\\"c\\\\"x');
    expect(stringEnd(b, 0, b.length)).toBe(7);
    for (let n = 0; n < 40; n++) {
      const bytes = Buffer.alloc(n + 3, 0x61);
      for (let at = 0; at < n; at++) {
        bytes[at + 1] = 0x1f;
        expect(hasControlByte(bytes.subarray(1), 0, n)).toBe(true);
        expect(hasControlByte(bytes.subarray(1), at + 1, n)).toBe(false);
        bytes[at + 1] = 0x61;
      }
      expect(hasControlByte(bytes, 0, bytes.length)).toBe(false);
      bytes[n] = 0xc3; // UTF-8 lead bytes are not control bytes
      expect(hasControlByte(bytes, 0, bytes.length)).toBe(false);
    }
  });
});

describe("grading with and without skimming", () => {
  it("gives identical verdict rows on the example dump", async () => {
    for (const mode of ["high", "low"]) {
      const file = `examples/nemotron-math-v2/${mode}.part_00.jsonl.gz`;
      const lines = gunzipSync(readFileSync(file)).toString("utf8").trimEnd().split("\n");
      const run = async (skimRows: boolean) => {
        const rows = [];
        for await (const row of grade(lines, { file, skim: skimRows })) rows.push(row);
        return rows;
      };
      const [a, b] = [await run(true), await run(false)];
      expect(a.length).toBe(lines.length);
      expect(a).toEqual(b);
    }
  }, 120_000);
});
