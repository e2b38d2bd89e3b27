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

/** Sample indices and row numbers within a problem stay below this (they are stored in 32 bits). */
const RANK_LIMIT = 2 ** 26;

/** Settings per problem are few (six in the recipe): a kept sample's setting slot fits a byte of its tag. */
const SLOT_BITS = 256;
/** A tag is (answer number · 256 + slot) · 2 + correct, in 32 bits. */
const ANSWER_LIMIT = 2 ** 23;
/** Past this many distinct answers in one problem (compat keeps every sample), answers are found by a map. */
const ANSWER_SCAN_LIMIT = 32;
/** Words per kept sample: sample index, rank (row within the problem), tag. */
const WORDS = 3;

/**
 * One problem's score state, packed because there are hundreds of thousands of problems: per setting slot
 * the counts n, correct and no-answer; and the first `keep` samples of each setting by (index, rank) in
 * one Uint32Array of (index, rank, tag) triples, grouped by slot (slots in first-seen order) and sorted by
 * (index, rank) within a slot. The tag holds the answer number (0 for none), the slot and correctness;
 * each distinct answer string of the problem is stored once. Rewards (compat only) are kept alongside.
 */
class Problem {
  gold: string | null = null;
  rows = 0;
  noReference = 0;
  invalid = 0;
  /** Setting names by slot. */
  readonly settings: string[] = [];
  /** n, correct, no-answer per slot. */
  private readonly counts: number[] = [];
  private samples = new Uint32Array(16 * WORDS);
  private size = 0;
  private rewards: Array<number | null> | null = null;
  /** Distinct answers; answer number i + 1 is answers[i]. */
  private readonly answers: string[] = [];
  private answerIndex: Map<string, number> | null = null;

  add(setting: string, sample: number | null, correct: boolean, answer: string | null, reward: number | null, keep: number): void {
    let slot = this.settings.indexOf(setting);
    if (slot < 0) {
      if (this.settings.length >= SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} settings in one problem`);
      slot = this.settings.push(setting) - 1;
      this.counts.push(0, 0, 0);
    }
    const counts = this.counts;
    const index = sample ?? counts[3 * slot]; // arrival within (problem, setting) when the trace gives no index
    const rank = this.rows;
    if (!(Number.isInteger(index) && index >= 0 && index < RANK_LIMIT) || rank >= RANK_LIMIT) {
      throw new RangeError(`sample index ${index} or row ${rank} of a problem is beyond ${RANK_LIMIT}`);
    }
    counts[3 * slot]++;
    if (correct) counts[3 * slot + 1]++;
    if (answer === null) counts[3 * slot + 2]++;
    const s = this.samples;
    let from = 0;
    while (from < this.size && ((s[from * WORDS + 2] >>> 1) & (SLOT_BITS - 1)) !== slot) from++;
    let to = from;
    while (to < this.size && ((s[to * WORDS + 2] >>> 1) & (SLOT_BITS - 1)) === slot) to++;
    if (to - from >= keep && this.follows(index, rank, to - 1)) return;
    let at = to;
    while (at > from && !this.follows(index, rank, at - 1)) at--;
    const tag = (this.answerNumber(answer) * SLOT_BITS + slot) * 2 + (correct ? 1 : 0);
    const full = to + 1 - from > keep; // the setting's last kept sample drops out
    if (!full && this.size * WORDS === s.length) {
      const grown = new Uint32Array((this.size + Math.max(16, this.size >> 2)) * WORDS);
      grown.set(s);
      this.samples = grown;
    }
    const t = this.samples;
    // Shift [at, end) right by one sample (over the dropped one when full), then write the new one.
    const end = full ? to - 1 : this.size;
    t.copyWithin((at + 1) * WORDS, at * WORDS, end * WORDS);
    t[at * WORDS] = index;
    t[at * WORDS + 1] = rank;
    t[at * WORDS + 2] = tag;
    if (reward !== null && this.rewards === null) this.rewards = new Array(this.size).fill(null);
    if (this.rewards) {
      this.rewards.splice(at, 0, reward);
      if (full) this.rewards.splice(to, 1);
    }
    if (!full) this.size++;
  }

  /** Whether (index, rank) comes after kept sample i. */
  private follows(index: number, rank: number, i: number): boolean {
    const s = this.samples;
    return index > s[i * WORDS] || (index === s[i * WORDS] && rank > s[i * WORDS + 1]);
  }

  private answerNumber(answer: string | null): number {
    if (answer === null) return 0;
    const answers = this.answers;
    let at = this.answerIndex ? (this.answerIndex.get(answer) ?? -1) : answers.indexOf(answer);
    if (at < 0) {
      if (answers.length + 1 >= ANSWER_LIMIT) throw new RangeError(`more than ${ANSWER_LIMIT} distinct answers in one problem`);
      at = answers.push(answer) - 1;
      if (this.answerIndex) this.answerIndex.set(answer, at);
      else if (answers.length > ANSWER_SCAN_LIMIT) this.answerIndex = new Map(answers.map((a, i) => [a, i]));
    }
    return at + 1;
  }

  /** A setting's figures with its kept samples, in order. */
  view(setting: string): GroupView {
    const slot = this.settings.indexOf(setting);
    const s = this.samples;
    const samples: Sample[] = [];
    for (let i = 0; i < this.size; i++) {
      const tag = s[i * WORDS + 2];
      if (((tag >>> 1) & (SLOT_BITS - 1)) !== slot) continue;
      const number = Math.floor(tag / 2 / SLOT_BITS);
      samples.push({
        index: s[i * WORDS],
        rank: s[i * WORDS + 1],
        correct: (tag & 1) === 1,
        answer: number === 0 ? null : this.answers[number - 1],
        reward: this.rewards?.[i] ?? null,
      });
    }
    const c = this.counts;
    return { n: c[3 * slot], correct: c[3 * slot + 1], noAnswer: c[3 * slot + 2], samples };
  }
}

function before(a: Sample, b: Sample): boolean {
  return a.index < b.index || (a.index === b.index && a.rank < b.rank);
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

    p.add(settingOf(record.mode, record.tool), record.sample, record.status === "correct", record.answer, record.reward ?? null, this.keep);
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
      const views = [...p.settings].sort(compareSettings).map((key) => [key, p.view(key)] as const);
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
