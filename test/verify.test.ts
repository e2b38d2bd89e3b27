// The verify API: verdict shape, options, extraction, batches, canonical keys and grouping.
import { describe, expect, it } from "vitest";
import { canonicalKey, groupEquivalent, packPairs, verify, verifyBatch, verifyPacked, type VerifyPair } from "../src/verify/index.js";
import * as api from "../src/index.js";

describe("verify", () => {
  it("returns a complete verdict", () => {
    const v = verify("\\frac{1}{2}", "0.5");
    expect(v).toEqual({ status: "correct", method: "exact", gold: "1/2", pred: "1/2", extraction: { gold: "bare", pred: "bare" } });
  });

  it("extracts the answer of a whole response and records the rule", () => {
    const v = verify("\\frac{14}{3}", "So $f(-2)+f(-1)+f(0)=2+\\frac53+1=\\boxed{\\frac{14}{3}}$.");
    expect(v.status).toBe("correct");
    expect(v.extraction).toEqual({ gold: "bare", pred: "boxed" });
    const off = verify("5", "The answer is \\boxed{5}", { extraction: "off" });
    expect(off.extraction.pred).toBe("bare");
  });

  it("joins boxes that form one answer", () => {
    expect(verify("\\{1,2\\}", "so \\boxed{1} and \\boxed{2}").status).toBe("correct");
    expect(verify("\\{1,2\\}", "\\boxed{1} no no no no no \\boxed{2}").status).toBe("incorrect");
  });

  it("reports no answer, unparsable and too complex", () => {
    expect(verify("5", "").status).toBe("no_answer");
    expect(verify("5", "I could not solve it.").status).not.toBe("correct");
    expect(verify("5", "\\frac{", { extraction: "off", fallback: false }).status).toBe("unparsable");
    expect(verify("10^{10^{10}}", "10^{10^{10}}+1", { fallback: false }).status).toBe("too_complex");
  });

  it("honours the options", () => {
    expect(verify("f(x)", "f(y)").status).toBe("incorrect");
    expect(verify("f(x)", "f(y)", { strict: false }).status).toBe("correct");
    expect(verify("x \\ge 5", "[5, \\infty)").status).toBe("incorrect");
    expect(verify("x \\ge 5", "[5, \\infty)", { allowSetRelationComp: true }).status).toBe("correct");
    expect(() => verify("1", "1", { floatRounding: -1 })).toThrow(RangeError);
    expect(() => verify("1", "1", { extraction: "sometimes" as "off" })).toThrow(RangeError);
  });

  it("handles the design's structures", () => {
    const cases: Array<[string, string, boolean]> = [
      ["x = 5", "5", true],
      ["\\{1,2,3\\}", "3, 2, 1", true],
      ["(1,2)", "(2,1)", false],
      ["[0,1)", "[0, 1)", true],
      ["[0,1)", "(0,1]", false],
      ["(-\\infty, 3] \\cup (5, \\infty)", "(5,\\infty) \\cup (-\\infty,3]", true],
      ["1 \\pm \\sqrt{19}", "\\{1+\\sqrt{19}, 1-\\sqrt{19}\\}", true],
      ["\\begin{pmatrix}1 & 2\\\\3 & 4\\end{pmatrix}", "\\begin{bmatrix}1 & 2\\\\3 & 4\\end{bmatrix}", true],
      ["\\begin{pmatrix}1 & 2\\\\3 & 4\\end{pmatrix}", "\\begin{pmatrix}1 & 2\\\\3 & 5\\end{pmatrix}", false],
      ["25\\%", "25", true],
      ["\\$10", "10", true],
      ["90^\\circ", "90", true],
      ["\\text{Evelyn}", "evelyn", true],
      ["\\text{(C)}", "C", true],
      ["x \\le 5", "5 \\ge x", true],
      ["x < 1", "x > -1", false],
      ["2x+4y-3=0", "y=-\\frac{1}{2}x+\\frac{3}{4}", true],
      ["\\binom{5}{2}", "10", true],
      ["|-3|", "3", true],
      ["\\log_2 8", "3", true],
      ["\\frac34i", "\\frac{3}{4}i", true],
      ["4210_{5}", "4210_5", true],
      ["204_5", "204_6", false],
      ["6", "2 3", false],
    ];
    for (const [g, p, expected] of cases) expect(verify(g, p, { fallback: false }).status === "correct", `${g} vs ${p}`).toBe(expected);
  });

  it("decides a matrix against a scalar natively (different kinds of value), without the fallback", () => {
    for (const [g, p] of [["\\begin{pmatrix}1 & 2\\\\3 & 4\\end{pmatrix}", "0"], ["x", "\\begin{bmatrix}1\\\\2\\end{bmatrix}"]]) {
      expect(verify(g, p, { fallback: false }).status, `${g} vs ${p}`).toBe("incorrect");
    }
    // A matrix written as arithmetic on matrix literals is still evaluated.
    expect(verify("\\begin{pmatrix}2 & 4\\end{pmatrix}", "2\\begin{pmatrix}1 & 2\\end{pmatrix}", { fallback: false }).status).toBe("correct");
  });
});

describe("verifyBatch and verifyPacked", () => {
  const pairs = [
    { gold: "1/2", pred: "0.5" },
    { gold: "3", pred: "4" },
    { gold: "x^2-1", pred: "(x-1)(x+1)" },
    { gold: "5", pred: "" },
    { gold: "7", pred: "The answer is $\\boxed{7}$." },
    { gold: "\\pi", pred: "3.141593" },
  ];

  it("returns verdicts in order, equal to single calls", () => {
    const batch = verifyBatch(pairs);
    expect(batch.map((v) => v.status)).toEqual(["correct", "incorrect", "correct", "no_answer", "correct", "correct"]);
    pairs.forEach((p, i) => expect(batch[i]).toEqual(verify(p.gold, p.pred)));
  });

  it("packs non-ASCII text and decodes canonical forms", () => {
    const batch = verifyBatch([{ gold: "π", pred: "\\pi" }, { gold: "−3", pred: "-3" }, { gold: "\\text{café}", pred: "\\text{Café}" }]);
    expect(batch.map((v) => v.status)).toEqual(["correct", "correct", "correct"]);
    expect(batch[1]!.gold).toBe("-3");
  });

  it("keeps a large batch in order", () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ gold: String(i), pred: i % 3 === 0 ? `${i}.0` : String(i + 1) }));
    const out = verifyBatch(many);
    out.forEach((v, i) => expect(v.status).toBe(i % 3 === 0 ? "correct" : "incorrect"));
  });

  it("verifyPacked returns typed arrays", () => {
    const { bytes, offsets } = packPairs(["1", "2"], ["1.0", "3"]);
    const r = verifyPacked(bytes, offsets, {}, true);
    expect(Array.from(r.status)).toEqual([0, 1]);
    expect(r.canonicalOffsets!.length).toBe(5);
    expect(new TextDecoder().decode(r.canonical!.subarray(r.canonicalOffsets![0], r.canonicalOffsets![1]))).toBe("1");
  });

  it("rejects non-string input with a clear error", () => {
    expect(() => verify(null as unknown as string, "1")).toThrow(/both must be strings/);
    expect(() => verifyBatch([{ gold: "1", pred: "1" }, { gold: "1" } as VerifyPair])).toThrow(/pair 1/);
  });

  it("an empty batch is fine", () => {
    expect(verifyBatch([])).toEqual([]);
  });
});

describe("canonicalKey and groupEquivalent", () => {
  it("gives equal keys to equal exact values", () => {
    expect(canonicalKey("\\frac{1}{2}")).toBe(canonicalKey("0.5"));
    expect(canonicalKey("016")).toBe(canonicalKey("16"));
    expect(canonicalKey("\\{1,2\\}")).toBe(canonicalKey("\\{2,1\\}"));
    expect(canonicalKey("3")).not.toBe(canonicalKey("4"));
    expect(canonicalKey("\\sqrt{8}")).toBe(canonicalKey("2\\sqrt2"));
    expect(canonicalKey("x = 5")).toBe(canonicalKey("5"));
    // Euler's e and the imaginary unit never share a key with the symbols E and I (fuzzer finding).
    expect(canonicalKey("e")).not.toBe(canonicalKey("E"));
    expect(canonicalKey("i")).not.toBe(canonicalKey("I"));
    expect(verify("E", "e").status).toBe("incorrect");
  });

  it("groups by equivalence in first-seen order, null answers get -1", () => {
    expect(groupEquivalent(["1/2", "0.5", null, "\\frac12", "3", "x=3", "2", "\\sqrt{8}", "2\\sqrt2"])).toEqual([0, 0, -1, 0, 1, 1, 2, 3, 3]);
    expect(groupEquivalent([])).toEqual([]);
    expect(groupEquivalent([null, null])).toEqual([-1, -1]);
  });

  it("is exported from the package root", () => {
    expect(api.verify).toBe(verify);
    expect(api.verifyBatch).toBe(verifyBatch);
    expect(api.groupEquivalent).toBe(groupEquivalent);
    expect(api.canonicalKey).toBe(canonicalKey);
  });
});
