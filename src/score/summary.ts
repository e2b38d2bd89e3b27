// Per-setting figures from per-problem scores. Every figure is a mean over problems (a macro average),
// summed in problem-id order, so that a run, its shards merged, and a resumed run agree to the last bit.
import type { GradeStatus } from "../types.js";
import { ALL, compareSettings, DEFAULT_K, normalizeK, SETTINGS, type GroupScore, type ProblemScore, type ScoreOptions } from "./board.js";
import { NemoSkillsAccumulator, type NemoSkillsMetric } from "./nemo-skills.js";

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

/** The summary without its problems: what SummaryBuilder computes, and what precedes "problems" in the file. */
export type SummaryHead = Omit<Summary, "problems">;

const byId = (a: ProblemScore, b: ProblemScore) => (a.problem_id < b.problem_id ? -1 : a.problem_id > b.problem_id ? 1 : 0);

/** Builds the summary from per-problem scores (any order; they are sorted by id here; ids must be distinct). */
export function summarize(problems: ProblemScore[], totals: Totals, options: ScoreOptions = {}): Summary {
  const sorted = [...problems].sort(byId);
  const builder = new SummaryBuilder(options);
  for (const p of sorted) builder.add(p);
  return { ...builder.finish(totals), problems: sorted };
}

/**
 * The per-setting figures of a summary, from problems given one at a time in strictly increasing id order
 * (JS string order, as ScoreBoard yields them). Memory is per setting, not per problem; every sum is taken
 * in id order, so the figures are the same to the last bit however the problems were stored or split.
 */
export class SummaryBuilder {
  private readonly k: number[];
  private readonly compat: ScoreOptions["compat"];
  private readonly settings = new Map<string, SettingAccumulator>();
  private last: string | null = null;
  private finished = false;

  constructor(options: ScoreOptions = {}) {
    this.k = normalizeK(options.k ?? DEFAULT_K);
    this.compat = options.compat;
    // The six settings and "all" are always reported, even when no problem has them.
    for (const name of [...SETTINGS, ALL]) this.setting(name);
  }

  add(p: ProblemScore): void {
    if (this.finished) throw new Error("summary: add() after finish()");
    const id = p.problem_id;
    if (this.last !== null && !(this.last < id)) {
      if (id === this.last) throw new Error(`summary: problem ${id} is given twice (overlapping inputs?)`);
      throw new Error(`summary: problems out of id order (${JSON.stringify(id)} after ${JSON.stringify(this.last)})`);
    }
    this.last = id;
    for (const name of Object.keys(p.settings)) {
      const acc = this.setting(name); // a setting is named in the summary even when its groups are empty
      const g = p.settings[name];
      if (g !== undefined && g.n > 0) acc.add(g);
    }
  }

  /** The summary's head: format, options, totals and per-setting figures (in table order). */
  finish(totals: Totals): SummaryHead {
    this.finished = true;
    const settings: Record<string, SettingSummary> = {};
    for (const name of [...this.settings.keys()].sort(compareSettings)) settings[name] = this.settings.get(name)!.result();
    return { format: SUMMARY_FORMAT, options: { k: this.k, compat: this.compat ?? null }, totals, settings };
  }

  private setting(name: string): SettingAccumulator {
    let acc = this.settings.get(name);
    if (!acc) this.settings.set(name, (acc = new SettingAccumulator(this.k, this.compat)));
    return acc;
  }
}

/** One setting's running sums over the problems with graded attempts in it. */
class SettingAccumulator {
  private problems = 0;
  private traces = 0;
  private pass1 = 0;
  private noAnswer = 0;
  private minN = Infinity;
  private readonly passSum: number[];
  private readonly majSum: number[];
  private readonly count: number[];
  private readonly ties: number[];
  private readonly nemo: NemoSkillsAccumulator | null;

  constructor(
    private readonly ks: number[],
    compat: ScoreOptions["compat"],
  ) {
    this.passSum = ks.map(() => 0);
    this.majSum = ks.map(() => 0);
    this.count = ks.map(() => 0);
    this.ties = ks.map(() => 0);
    this.nemo = compat === "nemo-skills" ? new NemoSkillsAccumulator() : null;
  }

  add(g: GroupScore): void {
    this.problems++;
    this.traces += g.n;
    this.pass1 += g["pass@1"];
    this.noAnswer += g.no_answer / g.n;
    this.minN = Math.min(this.minN, g.n);
    for (let i = 0; i < this.ks.length; i++) {
      const pass = g["pass@k"][this.ks[i]];
      const maj = g["maj@k"][this.ks[i]];
      if (pass === undefined || maj === undefined) continue;
      this.count[i]++;
      this.passSum[i] += pass;
      this.majSum[i] += maj.score;
      if (maj.tie) this.ties[i]++;
    }
    this.nemo?.add(g.nemo_skills ?? []);
  }

  result(): SettingSummary {
    const out: SettingSummary = {
      problems: this.problems,
      traces: this.traces,
      "pass@1": null,
      "pass@k": {},
      "maj@k": {},
      no_answer: null,
      k: null,
    };
    if (this.problems === 0) return out;
    out["pass@1"] = this.pass1 / this.problems;
    out.no_answer = this.noAnswer / this.problems;
    this.ks.forEach((k, i) => {
      const count = this.count[i];
      if (count === 0) return;
      out["pass@k"][k] = { value: this.passSum[i] / count, problems: count };
      out["maj@k"][k] = { value: this.majSum[i] / count, problems: count, ties: this.ties[i] };
      if (k <= this.minN) out.k = k;
    });
    if (this.nemo) out.nemo_skills = this.nemo.result();
    return out;
  }
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
  for (const part of parts) {
    checkMergeable(part, first);
    addTotals(totals, part.totals);
    for (const p of part.problems) problems.push(p);
  }
  problems.sort(byId);
  // Sorted, a problem found in two parts sits next to itself.
  for (let i = 1; i < problems.length; i++) {
    if (problems[i].problem_id === problems[i - 1].problem_id) throw overlapError(problems[i].problem_id);
  }
  return summarize(problems, totals, scoreOptionsOf(first));
}

/** The checks of a merge, shared with the streaming merge: a veritrace summary made with the same options. */
export function checkMergeable(part: SummaryHead, first: SummaryHead): void {
  if (part.format !== SUMMARY_FORMAT) throw new Error(`merge: not a veritrace summary (format ${String(part.format)})`);
  if (JSON.stringify(part.options) !== JSON.stringify(first.options)) {
    throw new Error(`merge: summaries were made with different options (${JSON.stringify(part.options)} vs ${JSON.stringify(first.options)})`);
  }
}

export function overlapError(problemId: string): Error {
  return new Error(`merge: problem ${problemId} appears in more than one input (overlapping shards?)`);
}

/** Adds `part` into `into`, status by status. */
export function addTotals(into: Totals, part: Totals): void {
  into.rows += part.rows;
  for (const s of STATUSES) into[s] += part[s];
}

/** The score options a summary was made with (as ScoreOptions, for a builder of the same figures). */
export function scoreOptionsOf(head: SummaryHead): ScoreOptions {
  return { k: head.options.k, compat: (head.options.compat ?? undefined) as ScoreOptions["compat"] };
}
