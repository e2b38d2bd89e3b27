// Per-setting figures from per-problem scores. Every figure is a mean over problems (a macro average),
// summed in problem-id order, so that a run, its shards merged, and a resumed run agree to the last bit.
import type { GradeStatus } from "../types.js";
import { ALL, compareSettings, normalizeK, SETTINGS, type ProblemScore, type ScoreOptions } from "./board.js";
import { nemoSkillsAggregate, type NemoSkillsMetric } from "./nemo-skills.js";

export const SUMMARY_FORMAT = "veritrace-summary/1";

export const STATUSES: GradeStatus[] = [
  "correct",
  "incorrect",
  "no_answer",
  "unparsable",
  "too_complex",
  "no_reference",
  "invalid_input",
];

export type Totals = { rows: number } & Record<GradeStatus, number>;

export interface SettingSummary {
  /** Problems with at least one graded attempt in this setting. */
  problems: number;
  /** Graded attempts (rows with a reference and a trace). */
  traces: number;
  /** Mean over problems of c/n. */
  "pass@1": number | null;
  /** Mean unbiased pass@k over the problems with at least k attempts (`problems` says how many). */
  "pass@k": Record<string, { value: number; problems: number }>;
  /** Mean maj@k over the problems with at least k attempts; `ties`: how many were decided by the tie rule. */
  "maj@k": Record<string, { value: number; problems: number; ties: number }>;
  /** Mean over problems of the share of attempts without an answer. */
  no_answer: number | null;
  /** The largest requested k that every problem of the setting reaches (the table's k), or null. */
  k: number | null;
  /** Under --compat nemo-skills: NeMo-Skills' own metrics dictionary for this setting. */
  nemo_skills?: Record<string, NemoSkillsMetric>;
}

export interface Summary {
  format: typeof SUMMARY_FORMAT;
  options: { k: number[]; compat: string | null };
  totals: Totals;
  settings: Record<string, SettingSummary>;
  problems: ProblemScore[];
}

export function emptyTotals(): Totals {
  const t = { rows: 0 } as Totals;
  for (const s of STATUSES) t[s] = 0;
  return t;
}

export function totalsFrom(counts: Map<GradeStatus, number>): Totals {
  const t = emptyTotals();
  for (const [status, count] of counts) {
    t[status] += count;
    t.rows += count;
  }
  return t;
}

/** Builds the summary from per-problem scores (any order; they are sorted by id here). */
export function summarize(problems: ProblemScore[], totals: Totals, options: ScoreOptions = {}): Summary {
  const k = normalizeK(options.k ?? [1, 2, 4, 8, 16]);
  const sorted = [...problems].sort((a, b) => (a.problem_id < b.problem_id ? -1 : a.problem_id > b.problem_id ? 1 : 0));
  const names = new Set<string>([...SETTINGS, ALL]);
  for (const p of sorted) for (const s of Object.keys(p.settings)) names.add(s);
  const settings: Record<string, SettingSummary> = {};
  for (const name of [...names].sort(compareSettings)) settings[name] = summarizeSetting(name, sorted, k, options);
  return { format: SUMMARY_FORMAT, options: { k, compat: options.compat ?? null }, totals, settings, problems: sorted };
}

function summarizeSetting(name: string, problems: ProblemScore[], ks: number[], options: ScoreOptions): SettingSummary {
  const groups = problems.map((p) => p.settings[name]).filter((g) => g !== undefined && g.n > 0);
  const out: SettingSummary = {
    problems: groups.length,
    traces: 0,
    "pass@1": null,
    "pass@k": {},
    "maj@k": {},
    no_answer: null,
    k: null,
  };
  if (groups.length === 0) return out;
  let pass1 = 0;
  let noAnswer = 0;
  let minN = Infinity;
  for (const g of groups) {
    out.traces += g.n;
    pass1 += g["pass@1"];
    noAnswer += g.no_answer / g.n;
    minN = Math.min(minN, g.n);
  }
  out["pass@1"] = pass1 / groups.length;
  out.no_answer = noAnswer / groups.length;
  for (const k of ks) {
    let passSum = 0;
    let majSum = 0;
    let count = 0;
    let ties = 0;
    for (const g of groups) {
      const pass = g["pass@k"][k];
      const maj = g["maj@k"][k];
      if (pass === undefined || maj === undefined) continue;
      count++;
      passSum += pass;
      majSum += maj.score;
      if (maj.tie) ties++;
    }
    if (count === 0) continue;
    out["pass@k"][k] = { value: passSum / count, problems: count };
    out["maj@k"][k] = { value: majSum / count, problems: count, ties };
    if (k <= minN) out.k = k;
  }
  if (options.compat === "nemo-skills") {
    out.nemo_skills = nemoSkillsAggregate(groups.map((g) => g.nemo_skills ?? []));
  }
  return out;
}

/**
 * Combines summaries of disjoint parts of one run (the shards of `--shard i/N`) into the summary of the
 * whole run. Problems must not repeat across parts: shards keep whole problems together.
 */
export function mergeSummaries(parts: Summary[]): Summary {
  if (parts.length === 0) throw new Error("merge: no summaries given");
  const first = parts[0];
  const totals = emptyTotals();
  const problems: ProblemScore[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    if (part.format !== SUMMARY_FORMAT) throw new Error(`merge: not a veritrace summary (format ${String(part.format)})`);
    if (JSON.stringify(part.options) !== JSON.stringify(first.options)) {
      throw new Error(`merge: summaries were made with different options (${JSON.stringify(part.options)} vs ${JSON.stringify(first.options)})`);
    }
    totals.rows += part.totals.rows;
    for (const s of STATUSES) totals[s] += part.totals[s];
    for (const p of part.problems) {
      if (seen.has(p.problem_id)) throw new Error(`merge: problem ${p.problem_id} appears in more than one input (overlapping shards?)`);
      seen.add(p.problem_id);
      problems.push(p);
    }
  }
  return summarize(problems, totals, { k: first.options.k, compat: (first.options.compat ?? undefined) as ScoreOptions["compat"] });
}
