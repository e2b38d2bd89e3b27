// Exact where exact: big integers, rationals and decimals are decided by exact arithmetic, never by
// closeness; the decimal rule applies only against values no finite decimal can write.
import { describe, expect, it } from "vitest";
import { verify } from "../src/verify/index.js";

const opts = { fallback: false } as const;
const status = (g: string, p: string, o: Parameters<typeof verify>[2] = opts) => verify(g, p, o).status;

describe("exact arithmetic", () => {
  it("2^{100} against its 31 digits", () => {
    const v = verify("2^{100}", "1267650600228229401496703205376", opts);
    expect(v.status).toBe("correct");
    expect(v.method).toBe("exact");
    expect(v.gold).toBe("1267650600228229401496703205376");
    expect(status("2^{100}", "1267650600228229401496703205377")).toBe("incorrect");
    expect(status("2^{100}", "1267650600228229401496703205375")).toBe("incorrect");
  });

  it("10^{18}+1 is not 10^{18}", () => {
    expect(status("10^{18}+1", "10^{18}")).toBe("incorrect");
    expect(status("10^{18}+1", "1000000000000000001")).toBe("correct");
    expect(status("10^{18}", "1000000000000000000")).toBe("correct");
  });

  it("20! exactly", () => {
    expect(status("20!", "2432902008176640000")).toBe("correct");
    expect(status("20!", "2432902008176640001")).toBe("incorrect");
    expect(status("\\binom{60}{30}", "118264581564861424")).toBe("correct");
  });

  it("1/2^{98} is not 1/2^{99}", () => {
    expect(status("\\frac{1}{2^{98}}", "\\frac{1}{2^{99}}")).toBe("incorrect");
    expect(status("\\frac{1}{2^{98}}", "2^{-98}")).toBe("correct");
    expect(status("\\frac{\\sqrt2}{2^{98}}", "\\frac{\\sqrt2}{2^{99}}")).toBe("incorrect");
  });

  it("leading zeros", () => {
    expect(status("16", "016")).toBe("correct");
    expect(status("025", "25")).toBe("correct");
    expect(status("27.0", "27")).toBe("correct");
  });

  it("1 - 1/e is not 1 + 1/e", () => {
    expect(status("1-\\frac1e", "1+\\frac1e")).toBe("incorrect");
    expect(status("1-\\frac1e", "\\frac{e-1}{e}")).toBe("correct");
  });

  it("decimals compare exactly first", () => {
    expect(status("12.0", "12")).toBe("correct");
    expect(status("0.0025", "2.5\\times10^{-3}")).toBe("correct");
    expect(status("3.0000001", "3")).toBe("incorrect");
    expect(status("0.5", "\\frac{1}{2}")).toBe("correct");
    expect(status("0.25", "0.3")).toBe("incorrect");
  });

  it("decimal rule against values no finite decimal can write", () => {
    expect(status("\\pi", "3.141593")).toBe("correct");
    expect(status("\\pi", "3.14159")).toBe("incorrect"); // five decimals < floatRounding 6
    expect(status("\\pi", "3.141592")).toBe("incorrect"); // not correctly rounded
    expect(status("\\frac13", "0.333333")).toBe("correct");
    expect(status("\\frac13", "0.33")).toBe("incorrect");
    expect(status("\\frac13", "0.333", { ...opts, floatRounding: 3 })).toBe("correct");
    expect(status("\\frac13", "0.333", { ...opts, floatRounding: 4 })).toBe("incorrect");
    expect(status("\\sqrt{2}", "1.414214")).toBe("correct");
    expect(status("\\frac14", "0.250001")).toBe("incorrect"); // 1/4 is a finite decimal: exact only
  });

  it("repeating decimals, scientific notation, separators", () => {
    expect(status("\\frac13", "0.\\overline{3}")).toBe("correct");
    expect(status("\\frac16", "0.1\\overline{6}")).toBe("correct");
    expect(status("0.001", "1e-3")).toBe("correct");
    expect(status("1000", "1{,}000")).toBe("correct");
    expect(status("1000", "1\\,000")).toBe("correct");
    expect(status("7425000", "7,425,000")).toBe("correct");
  });

  it("surds and algebraic values", () => {
    expect(status("\\sqrt{8}", "2\\sqrt2")).toBe("correct");
    expect(status("\\frac{1}{\\sqrt2}", "\\frac{\\sqrt2}{2}")).toBe("correct");
    expect(status("\\sqrt[3]{27}", "3")).toBe("correct");
    expect(status("\\sqrt{2}+\\sqrt{3}", "\\sqrt{5+2\\sqrt6}")).toBe("correct");
    expect(status("\\sqrt{2}", "\\sqrt{3}")).toBe("incorrect");
  });

  it("sums of square roots are exact, even where doubles cannot tell", () => {
    expect(verify("\\sqrt{8}", "2\\sqrt2", opts)).toMatchObject({ status: "correct", method: "exact", gold: "2*sqrt(2)" });
    expect(verify("\\frac{1}{1+\\sqrt2}", "\\sqrt2-1", opts)).toMatchObject({ status: "correct", method: "exact" });
    expect(verify("(\\sqrt2+\\sqrt3)^2", "5+2\\sqrt6", opts)).toMatchObject({ status: "correct", method: "exact" });
    expect(status("2^{1000}\\sqrt2+1", "2^{1000}\\sqrt2")).toBe("incorrect");
    expect(status("\\sqrt{-1}", "i")).toBe("correct");
    expect(status("\\sqrt[3]{-8}", "-2")).toBe("correct");
  });

  it("symbolic expressions by evaluation", () => {
    expect(verify("(x+1)^2", "x^2+2x+1", opts)).toMatchObject({ status: "correct", method: "symbolic" });
    expect(status("x^2+2x+1", "x^3+2x+1")).toBe("incorrect");
    expect(status("x^2+2x+1", "y^2+2y+1")).toBe("incorrect");
    expect(status("\\tan^2(y)+1", "\\sec^2(y)")).toBe("correct");
    expect(status("e^{i\\pi}", "-1")).toBe("correct");
  });
});
