// Streaming score state: one record per graded trace goes in, per-problem and per-setting scores come out.
// Memory per (problem, setting) is bounded: the counts n, c and no-answer for pass@k, and only the first
// max(k) samples (in the stated order) for maj@k.
//
// Sample order, for maj@k over "the first k samples": by sample index, then input order. A trace without
// a sample index gets the index of its arrival within its (problem, setting): the 3rd trace of a problem's
// high/with-tool attempts is sample 2. In "all" (every setting pooled) samples are ordered the same way, so
// its first k interleave the settings (sample 0 of each setting, then sample 1, ...).
//
// The result does not depend on how records of different problems interleave, only on the order of each
// problem's own records (their input order); so shards, resumed runs and merges give the same scores.
import type { GradeStatus, ReasoningMode } from "../types.js";
import { prefixVoteClasses, tally, type VoteCompat } from "./majority.js";
import { nemoSkillsContribution, nemoSkillsMajorityCredit, type NemoSkillsContribution } from "./nemo-skills.js";
import { passAtK, passAtKNemoSkills } from "./pass-at-k.js";

export interface ScoreRecord {
  problemId: string;
  mode: ReasoningMode;
  tool: boolean;
  /** Sample index from the trace, or null. */
  sample: number | null;
  status: GradeStatus;
  /** The extracted answer (null when none). */
  answer: string | null;
  /** The reference answer used. */
  gold?: string | null;
  /** NeMo-Skills `reward_model_score`, for its rm_best/rm_majority metrics under compat. */
  reward?: number | null;
}

export interface ScoreOptions {
  /** The k of pass@k and maj@k. Default 1,2,4,8,16. */
  k?: number[];
  /** "nemo-skills": raw-string votes, NeMo-Skills' tie credit and pass@k arithmetic, and its metrics block. */
  compat?: VoteCompat;
  /** Options for the engine's equivalence when grouping votes (the symbolic fallback is off unless
   *  `fallback: true` is given here). */
  verifyOptions?: Record<string, unknown>;
}

export const DEFAULT_K = [1, 2, 4, 8, 16];
export const ALL = "all";

/** "high/with-tool", "low/no-tool", ... */
export function settingOf(mode: ReasoningMode, tool: boolean): string {
  return `${mode}/${tool ? "with-tool" : "no-tool"}`;
}

/** The six settings of the Nemotron-Math recipe, in table order. */
export const SETTINGS = ["high", "medium", "low"].flatMap((m) => [`${m}/with-tool`, `${m}/no-tool`]);

/** Statuses that count as a graded attempt (a reference existed and the row was a trace). */
export function isGraded(status: GradeStatus): boolean {
  return status !== "no_reference" && status !== "invalid_input";
}

interface Sample {
  index: number;
  rank: number;
  correct: boolean;
  answer: string | null;
  reward: number | null;
}

/** A group's figures with its first samples, in order (what scoring reads). */
interface GroupView {
  n: number;
  correct: number;
  noAnswer: number;
  samples: Sample[];
}

/** Sample index and rank share one exact double: (index · 2^26 + rank) · 2 + correct. */
const RANK_LIMIT = 2 ** 26;

function orderKey(index: number, rank: number, correct: boolean): number {
  if (!(index >= 0 && index < RANK_LIMIT) || rank >= RANK_LIMIT) {
    throw new RangeError(`sample index ${index} or row ${rank} of a problem is beyond ${RANK_LIMIT}`);
  }
  return (index * RANK_LIMIT + rank) * 2 + (correct ? 1 : 0);
}

/**
 * One (problem, setting): counts for pass@k, and the first `keep` samples by (index, rank) for maj@k,
 * packed as parallel arrays (an order key per sample, its answer, its reward when any) to keep the
 * per-problem state small.
 */
class Group {
  n = 0;
  correct = 0;
  noAnswer = 0;
  private readonly keys: number[] = [];
  private readonly answers: Array<string | null> = [];
  private rewards: Array<number | null> | null = null;
  constructor(private readonly keep: number) {}

  add(index: number, rank: number, correct: boolean, answer: string | null, reward: number | null): void {
    this.n++;
    if (correct) this.correct++;
    if (answer === null) this.noAnswer++;
    const key = orderKey(index, rank, correct);
    const keys = this.keys;
    if (keys.length >= this.keep && key > keys[keys.length - 1]) return;
    let at = keys.length;
    while (at > 0 && key < keys[at - 1]) at--;
    if (reward !== null && this.rewards === null) this.rewards = keys.map(() => null);
    keys.splice(at, 0, key);
    this.answers.splice(at, 0, answer);
    this.rewards?.splice(at, 0, reward);
    if (keys.length > this.keep) {
      keys.pop();
      this.answers.pop();
      this.rewards?.pop();
    }
  }

  view(): GroupView {
    const samples = this.keys.map((key, i) => ({
      index: Math.floor(key / 2 / RANK_LIMIT),
      rank: Math.floor(key / 2) % RANK_LIMIT,
      correct: key % 2 === 1,
      answer: this.answers[i],
      reward: this.rewards?.[i] ?? null,
    }));
    return { n: this.n, correct: this.correct, noAnswer: this.noAnswer, samples };
  }
}

function before(a: Sample, b: Sample): boolean {
  return a.index < b.index || (a.index === b.index && a.rank < b.rank);
}

class Problem {
  gold: string | null = null;
  rows = 0;
  noReference = 0;
  invalid = 0;
  /** Per setting. "all" is not stored: its first samples are among the settings' first samples. */
  readonly groups = new Map<string, Group>();
}

/**
 * "all" of a problem, from its settings: counts add up, and its first `keep` samples in (index, rank)
 * order are among the settings' kept ones (a sample that is not among the first `keep` of its setting has
 * `keep` samples of that setting before it, so it is not among the first `keep` of all either).
 */
function pooled(groups: Iterable<GroupView>, keep: number): GroupView {
  const all: GroupView = { n: 0, correct: 0, noAnswer: 0, samples: [] };
  for (const g of groups) {
    all.n += g.n;
    all.correct += g.correct;
    all.noAnswer += g.noAnswer;
    all.samples.push(...g.samples);
  }
  all.samples.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  all.samples.length = Math.min(all.samples.length, keep);
  return all;
}

/** Answers repeat across traces (and problems): one string per distinct short answer saves memory. */
const INTERN_MAX_LENGTH = 64;
const INTERN_MAX_ENTRIES = 1 << 20;

export interface MajorityAtK {
  /** 1 when the majority answer is correct (NeMo-Skills compat: the tied pairs' mean correctness). */
  score: number;
  answer: string | null;
  votes: number;
  tie: boolean;
}

export interface GroupScore {
  n: number;
  correct: number;
  no_answer: number;
  "pass@1": number;
  "pass@k": Record<string, number>;
  "maj@k": Record<string, MajorityAtK>;
  /** Under compat: this problem's additive contribution to NeMo-Skills' metrics. */
  nemo_skills?: NemoSkillsContribution;
}

export interface ProblemScore {
  problem_id: string;
  gold: string | null;
  /** Rows of this problem by kind. */
  rows: number;
  no_reference: number;
  invalid_input: number;
  /** Scores per setting (only those with graded attempts) and "all". */
  settings: Record<string, GroupScore>;
}

export class ScoreBoard {
  private readonly problems = new Map<string, Problem>();
  private readonly keep: number;
  readonly k: number[];
  /** Status counts over every record, including invalid rows without a problem. */
  readonly statusCounts = new Map<GradeStatus, number>();
  private readonly interned = new Map<string, string>();

  constructor(readonly options: ScoreOptions = {}) {
    this.k = normalizeK(options.k ?? DEFAULT_K);
    this.keep = options.compat === "nemo-skills" ? Infinity : Math.max(...this.k);
  }

  /** Adds one row's outcome. `problemId` null: an invalid row that names no problem (only counted). */
  add(record: Omit<ScoreRecord, "problemId"> & { problemId: string | null }): void {
    this.statusCounts.set(record.status, (this.statusCounts.get(record.status) ?? 0) + 1);
    if (record.problemId === null) return;
    let p = this.problems.get(record.problemId);
    if (!p) this.problems.set(record.problemId, (p = new Problem()));
    p.rows++;
    if (p.gold === null && record.gold != null) p.gold = record.gold;
    if (record.status === "invalid_input") return void p.invalid++;
    if (record.status === "no_reference") return void p.noReference++;

    const setting = settingOf(record.mode, record.tool);
    let g = p.groups.get(setting);
    if (!g) p.groups.set(setting, (g = new Group(this.keep)));
    g.add(
      record.sample ?? g.n, // arrival within (problem, setting) when the trace gives no index
      p.rows,
      record.status === "correct",
      record.answer === null ? null : this.intern(record.answer),
      record.reward ?? null,
    );
  }

  private intern(answer: string): string {
    if (answer.length > INTERN_MAX_LENGTH) return answer;
    const known = this.interned.get(answer);
    if (known !== undefined) return known;
    if (this.interned.size < INTERN_MAX_ENTRIES) this.interned.set(answer, answer);
    return answer;
  }

  get problemCount(): number {
    return this.problems.size;
  }

  /** Per-problem scores, sorted by problem id (code-unit order). */
  scoreProblems(): ProblemScore[] {
    const ids = [...this.problems.keys()].sort();
    return ids.map((id) => {
      const p = this.problems.get(id)!;
      const settings: Record<string, GroupScore> = {};
      const views = [...p.groups.keys()].sort(compareSettings).map((key) => [key, p.groups.get(key)!.view()] as const);
      for (const [key, view] of views) settings[key] = scoreGroup(view, this.k, this.options);
      if (views.length > 0) settings[ALL] = scoreGroup(pooled(views.map(([, v]) => v), this.keep), this.k, this.options);
      return {
        problem_id: id,
        gold: p.gold,
        rows: p.rows,
        no_reference: p.noReference,
        invalid_input: p.invalid,
        settings,
      };
    });
  }
}

/** Settings in table order: the six known ones first, then others alphabetically; "all" last. */
export function compareSettings(a: string, b: string): number {
  const rank = (s: string) => (s === ALL ? 1e9 : SETTINGS.indexOf(s) >= 0 ? SETTINGS.indexOf(s) : 1e6);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function normalizeK(k: number[]): number[] {
  if (k.length === 0) throw new RangeError("k: at least one value is needed");
  for (const v of k) if (!Number.isInteger(v) || v < 1) throw new RangeError(`k: ${v} is not a positive integer`);
  return [...new Set(k)].sort((a, b) => a - b);
}

function scoreGroup(g: GroupView, ks: number[], options: ScoreOptions): GroupScore {
  const compat = options.compat;
  const out: GroupScore = {
    n: g.n,
    correct: g.correct,
    no_answer: g.noAnswer,
    "pass@1": g.correct / g.n,
    "pass@k": {},
    "maj@k": {},
  };
  const answers = g.samples.map((s) => s.answer);
  // Votes are grouped by the native engine alone unless the caller asks for the symbolic fallback: a pair
  // of answers it cannot decide stays two classes (conservative), and scoring never waits on the fallback.
  const groupingOptions = { fallback: false, ...options.verifyOptions };
  // Each prefix is grouped on its own (classes merge transitively, so a later answer could join two
  // classes of an earlier prefix), from pair verdicts computed once for the group.
  const reachable = ks.filter((k) => k <= g.n);
  const classesByK = prefixVoteClasses(answers, reachable, { compat, verifyOptions: groupingOptions });
  reachable.forEach((k, at) => {
    out["pass@k"][k] = compat === "nemo-skills" ? passAtKNemoSkills(g.n, g.correct, k) : passAtK(g.n, g.correct, k);
    const first = g.samples.slice(0, k);
    const vote = tally(answers.slice(0, k), classesByK[at], compat);
    let score: number;
    if (vote.winner < 0) score = 0;
    else if (compat === "nemo-skills") score = nemoSkillsMajorityCredit(answers.slice(0, k), first.map((s) => s.correct));
    else score = first[vote.classes[vote.winner].members[0]].correct ? 1 : 0;
    out["maj@k"][k] = { score, answer: vote.answer, votes: vote.votes, tie: vote.tie };
  });
  if (compat === "nemo-skills") {
    out.nemo_skills = nemoSkillsContribution(
      g.samples.map((s) => ({
        predicted_answer: s.answer,
        symbolic_correct: s.correct,
        ...(s.reward !== null ? { reward_model_score: s.reward } : {}),
      })),
    );
  }
  return out;
}
