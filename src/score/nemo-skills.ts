// NeMo-Skills' math metrics (nemo_skills/evaluation/metrics/{base,math_metrics}.py), reproduced for
// `--compat nemo-skills` down to the floating-point order of operations, so that the figures match
// NeMo-Skills' own to the last digit (shared/corpus/metrics_fixture.json):
//   pass@k             unbiased, 1 − C(n−c,k)/C(n,k) with exact binomials, summed over problems
//   pass@1[avg-of-k]   mean correctness of the first k samples
//   majority@k (k ≥ 2) votes over (raw answer, correctness) pairs of the first k samples, null answers
//                      dropped; tied pairs share the credit (mean correctness of the tied pairs)
//   rm_best@k, rm_majority@k   when samples carry `reward_model_score`
//   no_answer          pass@k and majority@k: all of the first k answers missing; avg-of-k: their share
// Every figure is 100 × sum / number of problems.
import { passAtKNemoSkills } from "./pass-at-k.js";

export interface NemoSkillsSample {
  predicted_answer: string | null;
  symbolic_correct: boolean;
  reward_model_score?: number;
}

export interface NemoSkillsMetric {
  num_entries: number;
  symbolic_correct: number;
  no_answer: number;
}

/** One problem's additive contribution to each metric, in NeMo-Skills' key order. */
export type NemoSkillsContribution = Array<[metric: string, field: "symbolic_correct" | "no_answer", value: number]>;

export function nemoSkillsContribution(samples: readonly NemoSkillsSample[]): NemoSkillsContribution {
  const out: NemoSkillsContribution = [];
  const n = samples.length;
  const correct: number[] = samples.map((s) => (s.symbolic_correct ? 1 : 0));
  const answers = samples.map((s) => s.predicted_answer);
  const c = correct.reduce((a: number, b: number) => a + b, 0);

  for (let k = 1; k <= n; k++) {
    out.push([`pass@${k}`, "symbolic_correct", passAtKNemoSkills(n, c, k)]);
    out.push([`pass@1[avg-of-${k}]`, "symbolic_correct", sumTo(correct, k) / k]);
  }
  for (let k = 1; k <= n; k++) {
    const missing = answers.slice(0, k).filter((a) => a === null).length;
    out.push([`pass@${k}`, "no_answer", missing === k ? 1 : 0]);
    out.push([`pass@1[avg-of-${k}]`, "no_answer", missing / k]);
  }
  for (let k = 2; k <= n; k++) {
    out.push([`majority@${k}`, "symbolic_correct", nemoSkillsMajorityCredit(answers.slice(0, k), correct.slice(0, k))]);
    out.push([`majority@${k}`, "no_answer", answers.slice(0, k).every((a) => a === null) ? 1 : 0]);
  }
  if (n > 0 && typeof samples[0].reward_model_score === "number") {
    for (let k = 1; k <= n; k++) {
      const valid = samples.slice(0, k).filter((s) => s.predicted_answer !== null);
      if (valid.length > 0) {
        // Python's sort with reverse=True is stable: the first of equal rewards wins.
        let best = valid[0];
        for (const s of valid) if (s.reward_model_score! > best.reward_model_score!) best = s;
        out.push([`rm_best@${k}`, "symbolic_correct", best.symbolic_correct ? 1 : 0]);

        const reward = new Map<string, number>();
        const verdicts = new Map<string, number[]>();
        for (const s of valid) {
          const a = s.predicted_answer!;
          reward.set(a, (reward.get(a) ?? 0) + s.reward_model_score!);
          if (!verdicts.has(a)) verdicts.set(a, []);
          verdicts.get(a)!.push(s.symbolic_correct ? 1 : 0);
        }
        let top: string | null = null;
        for (const [a, r] of reward) if (top === null || r > reward.get(top)!) top = a;
        const v = verdicts.get(top!)!;
        out.push([`rm_majority@${k}`, "symbolic_correct", v.reduce((x, y) => x + y, 0) / v.length]);
      }
      const none = samples.slice(0, k).every((s) => s.predicted_answer === null) ? 1 : 0;
      out.push([`rm_best@${k}`, "no_answer", none]);
      out.push([`rm_majority@${k}`, "no_answer", none]);
    }
  }
  return out;
}

function sumTo(values: number[], k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += values[i];
  return s;
}

/** NeMo-Skills' majority credit: mean correctness of the most common (answer, correctness) pairs. */
export function nemoSkillsMajorityCredit(answers: ReadonlyArray<string | null>, correct: ReadonlyArray<number | boolean>): number {
  const counts = new Map<string, { count: number; correct: number }>();
  answers.forEach((a, i) => {
    if (a === null) return;
    const c = correct[i] ? 1 : 0;
    const key = `${c}\u0000${a}`;
    const entry = counts.get(key) ?? { count: 0, correct: c };
    entry.count++;
    counts.set(key, entry);
  });
  if (counts.size === 0) return 0;
  let max = 0;
  for (const e of counts.values()) max = Math.max(max, e.count);
  let tied = 0;
  let credit = 0;
  for (const e of counts.values()) {
    if (e.count === max) {
      tied++;
      credit += e.correct;
    }
  }
  return credit / tied;
}

/**
 * Sums the contributions of problems one at a time (in the order given, as NeMo-Skills iterates its
 * input) into its metrics dictionary, so that a summary can be built without holding every problem.
 */
export class NemoSkillsAccumulator {
  private readonly sums = new Map<string, Map<string, number>>();
  private count = 0;

  add(contribution: NemoSkillsContribution): void {
    for (const [metric, field, value] of contribution) {
      let m = this.sums.get(metric);
      if (!m) this.sums.set(metric, (m = new Map()));
      m.set(field, (m.get(field) ?? 0) + value);
    }
    this.count++;
  }

  /** The metrics so far. `pass@1[avg-of-1]` is left out, as NeMo-Skills leaves it out of its report. */
  result(): Record<string, NemoSkillsMetric> {
    const total = this.count;
    const out: Record<string, NemoSkillsMetric> = {};
    for (const [metric, fields] of this.sums) {
      if (metric === "pass@1[avg-of-1]") continue;
      const entry: Record<string, number> = { num_entries: total };
      for (const [field, value] of fields) entry[field] = (100.0 * value) / total;
      out[metric] = entry as unknown as NemoSkillsMetric;
    }
    return out;
  }
}

/** NeMo-Skills' metrics dictionary from the contributions of problems, summed in the order given. */
export function nemoSkillsAggregate(contributions: readonly NemoSkillsContribution[]): Record<string, NemoSkillsMetric> {
  const acc = new NemoSkillsAccumulator();
  for (const contribution of contributions) acc.add(contribution);
  return acc.result();
}

/** NeMo-Skills' metrics for problems given as lists of samples (in sample order). */
export function nemoSkillsMetrics(problems: ReadonlyArray<readonly NemoSkillsSample[]>): Record<string, NemoSkillsMetric> {
  return nemoSkillsAggregate(problems.map(nemoSkillsContribution));
}
