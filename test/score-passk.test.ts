// pass@k (unbiased, product form), NeMo-Skills' exact-binomial variant, and NeMo-Skills' metrics on the
// shared fixture (shared/corpus/metrics_fixture.json), reproduced exactly.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bigRatio, binomial, passAtK, passAtKNemoSkills } from "../src/score/pass-at-k.js";
import { nemoSkillsMetrics, nemoSkillsMajorityCredit } from "../src/score/nemo-skills.js";

const fixture = JSON.parse(readFileSync(new URL("../../shared/corpus/metrics_fixture.json", import.meta.url), "utf8"));

describe("passAtK", () => {
  it("matches hand-computed values", () => {
    expect(passAtK(3, 1, 2)).toBeCloseTo(2 / 3, 15); // 1 − C(2,2)/C(3,2) = 1 − 1/3
    expect(passAtK(4, 2, 2)).toBeCloseTo(5 / 6, 15); // 1 − C(2,2)/C(4,2) = 1 − 1/6
    expect(passAtK(8, 1, 4)).toBeCloseTo(0.5, 15); // 1 − C(7,4)/C(8,4) = 1 − 35/70
    expect(passAtK(16, 3, 8)).toBeCloseTo(1 - 1287 / 12870, 14); // C(13,8)=1287, C(16,8)=12870
  });
  it("pass@1 is exactly c/n, and the edges are exact", () => {
    for (const [n, c] of [[7, 3], [10, 1], [64, 63], [3, 0]]) expect(passAtK(n, c, 1)).toBe(c / n);
    expect(passAtK(8, 0, 8)).toBe(0);
    expect(passAtK(8, 8, 3)).toBe(1);
    expect(passAtK(8, 5, 4)).toBe(1); // only 3 wrong: any 4 contain a correct one
  });
  it("stays accurate where the binomials are huge", () => {
    // n = 1000, c = 1, k = 500: exactly k/n.
    expect(passAtK(1000, 1, 500)).toBeCloseTo(0.5, 12);
    const exact = 1 - bigRatio(binomial(990, 300), binomial(1000, 300));
    expect(passAtK(1000, 10, 300)).toBeCloseTo(exact, 12);
  });
  it("rejects impossible arguments", () => {
    expect(() => passAtK(4, 5, 1)).toThrow(RangeError);
    expect(() => passAtK(4, 2, 5)).toThrow(RangeError);
    expect(() => passAtK(4, 2, 0)).toThrow(RangeError);
    expect(() => passAtK(4.5, 2, 1)).toThrow(RangeError);
  });
});

describe("exact binomial arithmetic (NeMo-Skills compat)", () => {
  it("binomial is exact beyond 2^53", () => {
    expect(binomial(64, 32)).toBe(1832624140942590534n);
    expect(binomial(5, 7)).toBe(0n);
  });
  it("bigRatio rounds correctly where Number(a)/Number(b) would round twice", () => {
    // Values from Python 3: comb(a, k) / comb(n, k).
    expect(bigRatio(binomial(60, 32), binomial(64, 32))).toBe(0.05659640905542545);
    expect(bigRatio(1n, 3n)).toBe(1 / 3);
    expect(bigRatio(2n ** 80n + 1n, 2n ** 81n)).toBe(0.5);
    // 2^54 + 3 over 2^54: the quotient 1 + 3·2^-54 lies between two doubles; Python gives 1.0000000000000002.
    expect(bigRatio(2n ** 54n + 3n, 2n ** 54n)).toBe(1.0000000000000002);
    // Ties round to even: (2^53 + 1) / 2^53 is exactly halfway between 1 and 1 + 2^-52 → 1.
    expect(bigRatio(2n ** 53n + 1n, 2n ** 53n)).toBe(1);
    expect(bigRatio(2n ** 53n + 3n, 2n ** 53n)).toBe(1 + 2 ** -51);
  });
  it("passAtKNemoSkills agrees with the product form to rounding", () => {
    for (const [n, c, k] of [[16, 3, 8], [64, 10, 32], [8, 1, 4]]) {
      expect(passAtKNemoSkills(n, c, k)).toBeCloseTo(passAtK(n, c, k), 12);
    }
  });
});

describe("NeMo-Skills metrics", () => {
  for (const [name, bench] of Object.entries<any>(fixture)) {
    it(`reproduces ${name} of metrics_fixture.json exactly (values and key order)`, () => {
      const got = nemoSkillsMetrics(bench.problems);
      expect(got).toStrictEqual(bench.expected_metrics);
      expect(JSON.stringify(got)).toBe(JSON.stringify(bench.expected_metrics));
    });
  }
  it("majority credit splits ties over the tied (answer, correctness) pairs", () => {
    expect(nemoSkillsMajorityCredit(["271", "821", "1"], [false, true, false])).toBe(1 / 3);
    expect(nemoSkillsMajorityCredit(["504", "504", "2"], [true, true, false])).toBe(1);
    expect(nemoSkillsMajorityCredit([null, null], [false, false])).toBe(0);
    expect(nemoSkillsMajorityCredit(["C", "B", null, "B"], [true, false, false, false])).toBe(0);
  });
});
