// The symbolic fallback (src/verify/fallback.ts): real compute-engine in its worker thread.
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/cli.js";
import { FALLBACK_LIMITS, fallbackStats, fallbackVerify, shutdownFallback } from "../src/verify/fallback.js";

// Generous: the suite shares 2 cores with other suites; a budget that runs out gives "undecided".
const BUDGET = 10_000;

afterAll(() => shutdownFallback());

describe("fallbackVerify decides what the library can decide", () => {
  const correct: Array<[string, string]> = [
    ["(x+1)^2", "x^2+2x+1"],
    ["\\sqrt{2}+\\sqrt{3}", "\\sqrt{5+2\\sqrt{6}}"],
    ["\\tan x", "\\frac{\\sin x}{\\cos x}"],
    ["\\sin^2 x+\\cos^2 x", "1"],
    ["sqrt(2)/2", "\\frac{\\sqrt{2}}{2}"], // plain text on one side
    ["x^2/4 + y^2/3 = 1", "x^2/16 + y^2/12 = 1/4"], // an equation up to a constant factor
    ["x < 1", "-x > -1"], // an inequality turned around
    ["\\{1, 2, 3\\}", "\\{3, 1, 2\\}"],
    ["a_3 = 2, a_{37} = 19", "a_{37} = 19, a_3 = 2"], // a top-level list compares as a set (Math-Verify)
    ["\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}"],
    ["28\\%", "28"],
    ["E", "\\mathrm{E}"],
    ["e^{i\\pi}", "-1"],
  ];
  for (const [gold, pred] of correct) {
    it(`${gold}  =  ${pred}`, () => {
      const r = fallbackVerify(gold, pred, BUDGET);
      expect(r.status).toBe("correct");
      expect(typeof r.gold).toBe("string");
      expect(typeof r.pred).toBe("string");
    });
  }

  const incorrect: Array<[string, string]> = [
    ["\\frac{1}{2^{98}}", "\\frac{1}{2^{99}}"], // exact values of different size are never "close enough"
    ["10^{30}+\\pi", "10^{30}+\\pi+1"], // decided exactly, beyond any floating tolerance
    ["1-\\frac{1}{e}", "1+\\frac{1}{e}"],
    ["(x+1)^2", "x^2+1"],
    ["\\sqrt{x^2}", "x"], // differs for negative x
    ["x < 1", "-x < -1"],
    ["x < 1", "x \\le 1"],
    ["(1, 2)", "(2, 1)"], // a tuple is ordered
    ["\\{1, 2\\}", "\\{1, 3\\}"],
    ["2x = 4", "x = 3"],
  ];
  for (const [gold, pred] of incorrect) {
    it(`${gold}  ≠  ${pred}`, () => {
      expect(fallbackVerify(gold, pred, BUDGET).status).toBe("incorrect");
    });
  }

  it("leaves undecided what it cannot tell", () => {
    // Unknown functions have no value to compare.
    expect(fallbackVerify("f(x)", "g(x)", BUDGET).status).toBe("undecided");
    // A 5-decimal approximation of pi: the engine's decimal rule decides this, not the fallback.
    expect(fallbackVerify("\\pi", "3.14159", BUDGET).status).toBe("undecided");
  });

  it("does not sample sums over a variable bound (their value at a point has no bound)", () => {
    const before = fallbackStats();
    const r = fallbackVerify("F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}", "F_n = \\sum_{k=0}^{n-2} F_k F_{n-k-2}", BUDGET);
    expect(r.status).toBe("undecided");
    expect(fallbackStats().timeouts).toBe(before.timeouts); // answered, not cut off
    // A sum with constant bounds is just a number.
    expect(fallbackVerify("\\sum_{k=1}^{10} k", "55", BUDGET).status).toBe("correct");
  });

  it("gives the same result for the same pair every time", () => {
    const a = fallbackVerify("\\frac{x^2-1}{x-1}", "x+1", BUDGET);
    const b = fallbackVerify("\\frac{x^2-1}{x-1}", "x+1", BUDGET);
    expect(b).toEqual(a);
    expect(a.status).toBe("correct");
  });
});

describe("fallbackVerify is bounded", () => {
  // The library canonicalizes this rational with a bigint gcd that ignores its own time limit: several
  // seconds to minutes of one synchronous call. Only the worker's termination stops it.
  const PATHOLOGICAL = "\\frac{3^{10^{5}}}{7^{10^{5}}}+1";

  it("answers undecided when the budget runs out, and replaces the worker", () => {
    expect(fallbackVerify("1", "1", BUDGET).status).toBe("correct"); // a live worker first
    const before = fallbackStats();
    const r = fallbackVerify(PATHOLOGICAL, "1", 300);
    expect(r.status).toBe("undecided");
    const after = fallbackStats();
    expect(after.timeouts).toBe(before.timeouts + 1);
    expect(after.workersStarted).toBe(before.workersStarted + 1);
    // The replacement worker decides the next pair.
    expect(fallbackVerify("\\frac{6}{8}", "0.75", BUDGET).status).toBe("correct");
    expect(fallbackStats().workersStarted).toBe(after.workersStarted);
  });

  it("keeps oversized and deeply nested inputs away from the library", () => {
    const before = fallbackStats();
    const long = "1+".repeat(FALLBACK_LIMITS.maxInputChars) + "1";
    const nested = "(".repeat(FALLBACK_LIMITS.maxNesting + 1) + "1" + ")".repeat(FALLBACK_LIMITS.maxNesting + 1);
    expect(fallbackVerify(long, "1", BUDGET).status).toBe("undecided");
    expect(fallbackVerify("1", nested, BUDGET).status).toBe("undecided");
    expect(fallbackVerify("", "1", BUDGET).status).toBe("undecided");
    expect(fallbackStats().evaluated).toBe(before.evaluated);
  });

  it("answers undecided for a budget that is not a positive number", () => {
    for (const budget of [0, -5, Number.NaN]) expect(fallbackVerify("1", "1", budget).status).toBe("undecided");
  });

  it("returns a result for random bytes, lone surrogates and non-strings, without throwing", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const bytes = Buffer.from(Array.from({ length: 300 }, () => Math.floor(rand() * 256)));
    const inputs = [bytes.toString("latin1"), bytes.toString("utf8"), "\ud800\\frac{1}{\udfff}", "\u0000\\sqrt{\u0000}", "}{)(][", "\\frac{"];
    for (const a of inputs) {
      for (const b of ["1", a]) {
        const r = fallbackVerify(a, b, 2_000);
        expect(["correct", "incorrect", "undecided"]).toContain(r.status);
      }
    }
    expect(fallbackVerify(null as unknown as string, "1", BUDGET).status).toBe("undecided");
    expect(fallbackVerify("1", 1 as unknown as string, BUDGET).status).toBe("undecided");
  });

  it("lets the process exit on its own after using the fallback, even after a replacement", () => {
    // The worker thread, its port and its pipes must not keep the event loop alive (a CLI that used the
    // fallback would otherwise never exit). Runs the compiled module (dist/) in a child process.
    const script = `
      import { fallbackVerify, fallbackStats } from "./dist/verify/fallback.js";
      const a = fallbackVerify("(x+1)^2", "x^2+2x+1", 10000);
      const b = fallbackVerify(${JSON.stringify(PATHOLOGICAL)}, "1", 300);
      process.stdout.write(JSON.stringify([a.status, b.status, fallbackStats().timeouts]));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
    expect(r.signal, "the process had to be killed: something kept it alive").toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(["correct", "undecided", 1]);
  }, 180_000);
});
