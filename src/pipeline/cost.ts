// Training-cost model of the length-bucket schedule (docs/pipeline.md "Cost model").
// Stage i trains its traces at sequence length L_i (its bucket edge), each trace padded to L_i:
//   padded tokens  n_i · L_i
//   attention      n_i · L_i²   (the quadratic term, which dominates at long context)
// The baseline trains every trace once at the largest length L_max. Mixed-in traces are trained twice in
// the schedule (in their own stage and in the last one) and count twice. Attention is reported in units of
// (L/1024)² per trace so that the sums stay exact integers in a double for any realistic data set.

export interface StageLoad {
  maxTokens: number;
  /** Traces trained in the stage (mixed-in traces included). */
  traces: number;
  /** Real (unpadded) tokens of those traces. */
  tokens: number;
  /** Tokens of the stage's own traces (mixed-in copies excluded): the baseline trains each trace once. */
  uniqueTokens: number;
  /** Σ (t/1024)² over those traces: attention if sequences were packed without padding (information). */
  unpaddedAttention: number;
}

export interface StageCost {
  maxTokens: number;
  traces: number;
  paddedTokens: number;
  /** n · (L/1024)² */
  attention: number;
}

export interface CostEstimate {
  model: string;
  attentionUnit: string;
  stages: StageCost[];
  sequential: { paddedTokens: number; attention: number; realTokens: number; unpaddedAttention: number };
  allAtMaxLength: { maxTokens: number; traces: number; paddedTokens: number; attention: number };
  /** sequential / allAtMaxLength: below 1 means the schedule is cheaper. */
  ratio: { paddedTokens: number; attention: number };
  /** Second model: traces packed into sequences of the stage length with no cross-document masking, so a
   * stage's attention is (its tokens / L) sequences × L² = tokens · L. Tokens cost the same in both
   * schedules then; only attention differs. */
  packed: { unit: string; sequential: number; allAtMaxLength: number; ratio: number };
}

const UNIT = 1024;

export function attentionUnits(length: number): number {
  const l = length / UNIT;
  return l * l;
}

/**
 * @param stages the schedule, in training order
 * @param uniqueTraces traces of the data set, each counted once (the baseline trains these at L_max)
 */
export function estimateCost(stages: readonly StageLoad[], uniqueTraces: number): CostEstimate {
  const maxTokens = stages.length ? Math.max(...stages.map((s) => s.maxTokens)) : 0;
  const perStage: StageCost[] = stages.map((s) => ({
    maxTokens: s.maxTokens,
    traces: s.traces,
    paddedTokens: s.traces * s.maxTokens,
    attention: s.traces * attentionUnits(s.maxTokens),
  }));
  const sum = (f: (s: StageCost) => number) => perStage.reduce((a, s) => a + f(s), 0);
  const sequential = {
    paddedTokens: sum((s) => s.paddedTokens),
    attention: sum((s) => s.attention),
    realTokens: stages.reduce((a, s) => a + s.tokens, 0),
    unpaddedAttention: round6(stages.reduce((a, s) => a + s.unpaddedAttention, 0)),
  };
  const baseline = {
    maxTokens,
    traces: uniqueTraces,
    paddedTokens: uniqueTraces * maxTokens,
    attention: uniqueTraces * attentionUnits(maxTokens),
  };
  const packedSeq = round6(stages.reduce((a, s) => a + (s.tokens / UNIT) * (s.maxTokens / UNIT), 0));
  const uniqueTokens = stages.reduce((a, s) => a + s.uniqueTokens, 0);
  const packedBase = round6((uniqueTokens / UNIT) * (maxTokens / UNIT));
  return {
    model: "each stage pads its traces to its bucket edge; attention work ∝ L² per trace; baseline = every trace once at the largest edge",
    attentionUnit: `(L/${UNIT})^2 per trace`,
    stages: perStage,
    sequential,
    allAtMaxLength: baseline,
    ratio: {
      paddedTokens: baseline.paddedTokens ? round6(sequential.paddedTokens / baseline.paddedTokens) : 0,
      attention: baseline.attention ? round6(sequential.attention / baseline.attention) : 0,
    },
    packed: {
      unit: `(tokens/${UNIT})·(L/${UNIT})`,
      sequential: packedSeq,
      allAtMaxLength: packedBase,
      ratio: packedBase ? round6(packedSeq / packedBase) : 0,
    },
  };
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
