// The seeded typical mix of the benchmark (bench/gen-typical-pairs.ts) labels each pair as equivalent
// or not when it writes it: the engine must agree with every label.
import { describe, expect, it } from "vitest";
import { generateTypicalPairs } from "../bench/gen-typical-pairs.js";
import { verifyBatch } from "../src/verify/index.js";

describe("typical pairs", () => {
  it("agrees with the generator's labels on 5,000 pairs of every kind", () => {
    const pairs = generateTypicalPairs(5000, 11);
    const verdicts = verifyBatch(pairs, { fallback: false });
    const wrong = verdicts
      .map((v, i) => ({ v, p: pairs[i]! }))
      .filter(({ v, p }) => (v.status === "correct") !== p.equivalent)
      .map(({ v, p }) => `${p.gold} | ${p.pred} | ${v.status}`);
    expect(wrong).toEqual([]);
    expect(pairs.filter((p) => p.equivalent).length).toBeGreaterThan(2000);
  });
});
