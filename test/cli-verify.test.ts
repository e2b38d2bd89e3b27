// `veritrace verify` through the real CLI (bin/veritrace.js over dist/ and the built addon).
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

describe("veritrace verify", () => {
  it("exits 0 for a correct answer and prints the verdict line", () => {
    const r = runCli(["verify", "\\frac{1}{2}", "0.5"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^correct \((exact|numeric|string|symbolic|fallback)\)\n$/);
  });

  it("exits 1 for an incorrect answer", () => {
    const r = runCli(["verify", "\\frac{1}{2^{98}}", "\\frac{1}{2^{99}}"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^incorrect /);
  });

  it("reads negative numbers as answers, not options", () => {
    expect(runCli(["verify", "-5", "-5"]).code).toBe(0);
    expect(runCli(["verify", "-5", "5"]).code).toBe(1);
    expect(runCli(["verify", "--", "-\\frac12", "-0.5"]).code).toBe(0);
  });

  it("--json prints the Verdict", () => {
    const r = runCli(["verify", "016", "16", "--json"]);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.status).toBe("correct");
    expect(typeof v.method).toBe("string");
    expect(v.extraction).toEqual({ gold: "bare", pred: "bare" });
    expect(typeof v.gold).toBe("string");
    expect(v.gold).toBe(v.pred);
  });

  it("--explain shows the extraction rule per side, the canonical forms and the deciding method", () => {
    const r = runCli(["verify", "3/4", "So the answer is $\\boxed{\\dfrac{3}{4}}$.", "--explain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^verdict: correct$/m);
    expect(r.stdout).toMatch(/^method: +\w+$/m);
    expect(r.stdout).toMatch(/^gold: +answer "3\/4" \(rule: bare\), canonical "[^"]+"$/m);
    expect(r.stdout).toMatch(/^pred: +answer "\\\\dfrac\{3\}\{4\}" \(rule: boxed\), canonical "[^"]+"$/m);

    const j = runCli(["verify", "3/4", "So the answer is $\\boxed{\\dfrac{3}{4}}$.", "--explain", "--json"]);
    const v = JSON.parse(j.stdout);
    expect(v.explain.pred).toMatchObject({ answer: "\\dfrac{3}{4}", rule: "boxed" });
    expect(v.explain.gold.canonical).toBe(v.gold);
    expect(v.explain.method).toBe(v.method);
  });

  it("exits promptly with the verdict of a pair that goes to the symbolic fallback", () => {
    // The native engine does not evaluate \sum; the fallback's worker thread must not keep the CLI alive.
    const r = runCli(["verify", "\\sum_{k=1}^{10} k^2", "385", "--json"], { timeout: 120_000 });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe("correct");
    const wrong = runCli(["verify", "\\sum_{k=1}^{10} k^2", "384"], { timeout: 120_000 });
    expect(wrong.code).toBe(1);
  });

  it("--float-rounding changes the decimal rule", () => {
    // 3.1416 writes 4 decimals of pi, correctly rounded: enough with --float-rounding 4, not with the default 6.
    expect(runCli(["verify", "\\pi", "3.1416", "--float-rounding", "4"]).code).toBe(0);
    expect(runCli(["verify", "\\pi", "3.1416"]).code).toBe(1);
  });

  it("--allow-set-relation-comp and --no-strict reproduce Math-Verify's settings", () => {
    // Math-Verify: a relation matches the set it describes only with allow_set_relation_comp.
    expect(runCli(["verify", "x \\ge 5", "[5, \\infty)", "--allow-set-relation-comp"]).code).toBe(0);
    expect(runCli(["verify", "x \\ge 5", "[5, \\infty)"]).code).toBe(1);
    // Math-Verify test_strict: f(x) and f(y) are equal only when strict=False.
    expect(runCli(["verify", "f(x)", "f(y)", "--no-strict"]).code).toBe(0);
    expect(runCli(["verify", "f(x)", "f(y)"]).code).toBe(1);
  });

  it("reads one side from standard input with -", () => {
    const r = runCli(["verify", "42", "-"], { input: "We conclude.\nThe final answer is $\\boxed{42}$.\n" });
    expect(r.code).toBe(0);
  });

  it("exits 2 on usage errors, with a message on stderr", () => {
    for (const args of [["verify"], ["verify", "1"], ["verify", "1", "2", "3"], ["verify", "1", "1", "--bogus"], ["verify", "1", "1", "--float-rounding", "x"], ["verify", "-", "-"]]) {
      const r = runCli(args, { input: "" });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/veritrace verify: /);
      expect(r.stdout).toBe("");
    }
  });

  it("--help prints the usage with examples and exits 0", () => {
    const r = runCli(["verify", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: veritrace verify <gold> <pred>/);
    expect(r.stdout).toMatch(/examples:/);
  });
});
