// Bucket assignment, mix draw and cost model on hand-built lengths whose outcome is known in advance.
import { describe, expect, it } from "vitest";
import { assignBuckets, drawKey, MODES, planFromAssignment, validateEdges, validateMix } from "../src/pipeline/plan.js";
import { estimateCost } from "../src/pipeline/cost.js";

const EDGES = [100, 200, 400];

function measurements(rows: Array<[number, (typeof MODES)[number]]>, seed = 7) {
  return {
    count: rows.length,
    tokens: Int32Array.from(rows, ([t]) => t),
    modes: Uint8Array.from(rows, ([, m]) => MODES.indexOf(m)),
    keys: Float64Array.from(rows, (_, i) => drawKey(seed, `row ${i}`)),
  };
}

describe("assignBuckets", () => {
  it("puts each trace in the smallest bucket that holds it and drops over-length traces", () => {
    const m = measurements([
      [1, "high"],
      [100, "high"], // exactly at an edge: that bucket
      [101, "high"],
      [400, "high"],
      [401, "high"], // over the largest edge
      [-1, "unknown"], // invalid row
    ]);
    const a = assignBuckets(m, EDGES);
    expect(Array.from(a.stageOf)).toEqual([0, 0, 1, 2, -1, -2]);
    const plan = planFromAssignment(a, EDGES, { tokenizer: "t", template: "harmony", seed: 7, mix: {}, rows: 6 });
    expect(plan.rows).toEqual({ read: 6, traces: 5, invalid: 1, overLength: 1 });
    expect(plan.stages.map((s) => [s.traces, s.tokens])).toEqual([
      [2, 101],
      [1, 101],
      [1, 400],
    ]);
  });

  it("mixes medium and low traces into the last stage at the requested share, within rounding", () => {
    // Last stage: 90 high traces of its own; 300 medium and 300 low traces in the earlier stages.
    const rows: Array<[number, (typeof MODES)[number]]> = [];
    for (let i = 0; i < 90; i++) rows.push([300 + i, "high"]);
    for (let i = 0; i < 300; i++) rows.push([50 + (i % 100), "medium"], [20 + (i % 150), "low"]);
    const mix = { medium: 0.05, low: 0.05 };
    const a = assignBuckets(measurements(rows), EDGES, mix);
    // k = round(0.05 · 90 / 0.9) = 5 of each; the last stage then holds 100 traces, 5% medium, 5% low.
    expect(a.mixReport.medium).toEqual({ share: 0.05, requested: 5, available: 300, drawn: 5 });
    expect(a.mixReport.low).toEqual({ share: 0.05, requested: 5, available: 300, drawn: 5 });
    const plan = planFromAssignment(a, EDGES, { tokenizer: "t", template: "harmony", seed: 7, mix, rows: rows.length });
    const last = plan.stages[2]!;
    expect(last.traces).toBe(100);
    expect(last.byMode.medium!.traces / last.traces).toBeCloseTo(0.05, 10);
    expect(last.byMode.low!.traces / last.traces).toBeCloseTo(0.05, 10);
    // The drawn traces also stay in their own stage.
    expect(plan.stages[0]!.traces + plan.stages[1]!.traces).toBe(600);
    expect(a.mixed.reduce((x, y) => x + y, 0)).toBe(10);
  });

  it("keeps the realised share within one trace of the request for awkward sizes", () => {
    for (const own of [1, 7, 13, 37, 101, 999]) {
      for (const share of [0.01, 0.05, 0.1, 0.3]) {
        const rows: Array<[number, (typeof MODES)[number]]> = [];
        for (let i = 0; i < own; i++) rows.push([350, "high"]);
        for (let i = 0; i < 2000; i++) rows.push([10, "medium"]);
        const a = assignBuckets(measurements(rows), EDGES, { medium: share });
        const drawn = a.mixReport.medium!.drawn;
        const total = own + drawn;
        expect(Math.abs(drawn - share * total)).toBeLessThanOrEqual(1);
      }
    }
  });

  it("draws the same traces whatever the input order, and other traces with another seed", () => {
    const rows: Array<[number, (typeof MODES)[number]]> = [];
    for (let i = 0; i < 40; i++) rows.push([350, "high"]);
    for (let i = 0; i < 200; i++) rows.push([10 + (i % 150), "medium"]);
    const keyOf = (seed: number) => rows.map(([t], i) => drawKey(seed, `${t}:${rows[i]![1]}`));
    const draw = (seed: number, order: number[]) => {
      const keys = keyOf(seed);
      const m = {
        count: order.length,
        tokens: Int32Array.from(order, (i) => rows[i]![0]),
        modes: Uint8Array.from(order, (i) => MODES.indexOf(rows[i]![1])),
        keys: Float64Array.from(order, (i) => keys[i]!),
      };
      const a = assignBuckets(m, EDGES, { medium: 0.2 });
      return order.filter((_, pos) => a.mixed[pos]).map((i) => rows[i]![0]).sort((x, y) => x - y);
    };
    const forward = rows.map((_, i) => i);
    const backward = forward.slice().reverse();
    expect(draw(1, forward)).toEqual(draw(1, backward));
    expect(draw(1, forward)).toHaveLength(10);
    expect(draw(2, forward)).not.toEqual(draw(1, forward));
  });

  it("says when there are not enough traces to mix in", () => {
    const rows: Array<[number, (typeof MODES)[number]]> = [];
    for (let i = 0; i < 100; i++) rows.push([350, "high"]);
    rows.push([10, "low"]);
    const a = assignBuckets(measurements(rows), EDGES, { low: 0.1 });
    expect(a.mixReport.low).toMatchObject({ requested: 11, available: 1, drawn: 1 });
    expect(a.warnings[0]).toMatch(/only 1 low traces/);
  });

  it("says when the last stage is empty, so that there is nothing to mix into", () => {
    const a = assignBuckets(measurements([[10, "medium"], [20, "low"]]), EDGES, { medium: 0.05 });
    expect(a.mixReport.medium).toMatchObject({ requested: 0, drawn: 0 });
    expect(a.warnings).toEqual(["--mix: the last stage (≤400 tokens) has no traces of its own, so nothing is mixed into it"]);
  });

  it("rejects bad edges and shares", () => {
    expect(() => validateEdges([])).toThrow();
    expect(() => validateEdges([200, 100])).toThrow(/ascending/);
    expect(() => validateEdges([1.5])).toThrow(/positive integer/);
    expect(() => validateMix({ medium: 0.6, low: 0.5 })).toThrow(/add up/);
    expect(() => validateMix({ fast: 0.1 } as never)).toThrow(/unknown mode/);
  });
});

describe("estimateCost", () => {
  it("compares the sequential schedule with everything at the largest length", () => {
    // 3 traces at L=1024, 1 at L=2048; baseline: 4 traces at 2048.
    const cost = estimateCost(
      [
        { maxTokens: 1024, traces: 3, tokens: 1500, uniqueTokens: 1500, unpaddedAttention: 0 },
        { maxTokens: 2048, traces: 1, tokens: 2000, uniqueTokens: 2000, unpaddedAttention: 0 },
      ],
      4,
    );
    expect(cost.sequential.paddedTokens).toBe(3 * 1024 + 2048);
    expect(cost.allAtMaxLength.paddedTokens).toBe(4 * 2048);
    expect(cost.ratio.paddedTokens).toBeCloseTo(5120 / 8192, 6);
    // attention units (L/1024)^2: 3·1 + 1·4 = 7 vs 4·4 = 16
    expect(cost.sequential.attention).toBe(7);
    expect(cost.allAtMaxLength.attention).toBe(16);
    expect(cost.ratio.attention).toBeCloseTo(7 / 16, 6);
    // packed: Σ tokens·L = 1500·1 + 2000·2 (in units of 1024²) vs 3500·2
    expect(cost.packed.ratio).toBeCloseTo((1500 + 4000) / 7000, 6);
  });
});
