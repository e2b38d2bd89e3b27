// shared/corpus/metrics_fixture.json (NeMo-Skills' metrics on its own generations) as score records:
// problem i's samples, in order, as sample indices 0, 1, ...
import type { ScoreRecord } from "../../src/score/index.js";

export function fixtureRecords(bench: { problems: Array<Array<{ symbolic_correct: boolean; predicted_answer: string | null; reward_model_score?: number }>> }): ScoreRecord[] {
  return bench.problems.flatMap((samples, i) =>
    samples.map((s, j) => ({
      problemId: `p${i}`,
      mode: "unknown" as const,
      tool: false,
      sample: j,
      status: s.symbolic_correct ? ("correct" as const) : s.predicted_answer === null ? ("no_answer" as const) : ("incorrect" as const),
      answer: s.predicted_answer,
      reward: s.reward_model_score ?? null,
    })),
  );
}
