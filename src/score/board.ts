// Streaming score state: one record per graded trace goes in, per-problem and per-setting scores come out.
// Memory per (problem, setting) is bounded: the counts n, c and no-answer for pass@k, and only the first
// max(k) samples (in the stated order) for maj@k (problem-state.ts). Memory over all problems is bounded
// too when the board may spill: past its budget the state goes to sorted runs on disk (spill.ts), merged
// back by problem id at the end.
//
// Sample order, for maj@k over "the first k samples": by sample index, then input order. A trace without
// a sample index gets the index of its arrival within its (problem, setting): the 3rd trace of a problem's
// high/with-tool attempts is sample 2. In "all" (every setting pooled) samples are ordered the same way, so
// its first k interleave the settings (sample 0 of each setting, then sample 1, ...).
//
// The result does not depend on how records of different problems interleave, only on the order of each
// problem's own records (their input order); so shards, resumed runs and merges give the same scores.
import { rmSync } from "node:fs";
import type { GradeStatus, ReasoningMode } from "../types.js";
import { prefixVoteClasses, tally, type VoteCompat } from "./majority.js";
import { nemoSkillsContribution, nemoSkillsMajorityCredit, type NemoSkillsContribution } from "./nemo-skills.js";
import { passAtK, passAtKNemoSkills } from "./pass-at-k.js";
import { ProblemState, RANK_LIMIT } from "./problem-state.js";

/** Sample indices a record may have: 0 ≤ sample < SAMPLE_INDEX_LIMIT. */
export const SAMPLE_INDEX_LIMIT = RANK_LIMIT;
import { mergePieces, readRun, SpillFolder } from "./spill.js";

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
  let names = settingNames.get(mode);
  if (names === undefined) {
    names = [`${mode}/no-tool`, `${mode}/with-tool`];
    if (settingNames.size < 64) settingNames.set(mode, names);
  }
  return names[tool ? 1 : 0];
}
/** Setting names by mode, made once (they are looked up for every record). */
const settingNames = new Map<string, [string, string]>();

/** The six settings of the Nemotron-Math recipe, in table order. */
export const SETTINGS = ["high", "medium", "low"].flatMap((m) => [`${m}/with-tool`, `${m}/no-tool`]);

/** Statuses that count as a graded attempt (a reference existed and the row was a trace). */
export function isGraded(status: GradeStatus): boolean {
  return status !== "no_reference" && status !== "invalid_input";
}

export interface Sample {
  index: number;
  rank: number;
  correct: boolean;
  answer: string | null;
  reward: number | null;
}

/** A group's figures with its first samples, in order (what scoring reads). */
export interface GroupView {
  n: number;
  correct: number;
  noAnswer: number;
  samples: Sample[];
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

/** Where the board may keep score state on disk, and how much it may hold in memory. */
export interface BoardMemory {
  /** A folder for temporary spill files (a private subfolder is made in it and removed at the end). */
  spillDir: string;
  /** Approximate bytes of score state held in memory before it is written out. Default 16 MiB. */
  budgetBytes?: number;
}

/**
 * The default budget. The estimate counts what the state holds (about 1.3 times less than V8 takes for
 * it, measured) and the garbage collector lets the heap grow to about twice what is live: 16 MiB of
 * estimate is about 60 MB of process memory.
 */
export const DEFAULT_SCORE_MEMORY = 16 << 20;
/** Runs merged at once; more are first merged in groups (each open run holds a read buffer). */
const MAX_FAN_IN = 64;
/** Approximate bytes of a map entry and its id string, beyond the state itself. */
const ENTRY_BYTES = 80;

/**
 * Streaming score state: records go in one at a time; per-problem scores come out in problem-id order.
 * Without `memory` everything stays in memory. With it, the state is written to sorted spill runs
 * whenever it outgrows the budget, and the runs are merged at the end: memory is bounded whatever the
 * number of problems, and the scores are the same, bit for bit.
 */
export class ScoreBoard {
  private problems = new Map<string, ProblemState>();
  private readonly keep: number;
  readonly k: number[];
  /** Status counts over every record, including invalid rows without a problem. */
  readonly statusCounts = new Map<GradeStatus, number>();
  private bytes = 0;
  private readonly budget: number;
  private readonly spill: SpillFolder | null;
  private runs: string[] = [];

  constructor(
    readonly options: ScoreOptions = {},
    memory?: BoardMemory,
  ) {
    this.k = normalizeK(options.k ?? DEFAULT_K);
    this.keep = options.compat === "nemo-skills" ? Infinity : Math.max(...this.k);
    this.spill = memory ? new SpillFolder(memory.spillDir) : null;
    this.budget = memory?.budgetBytes ?? DEFAULT_SCORE_MEMORY;
  }

  /** Adds one row's outcome. `problemId` null: an invalid row that names no problem (only counted). */
  add(record: Omit<ScoreRecord, "problemId"> & { problemId: string | null }): void {
    this.statusCounts.set(record.status, (this.statusCounts.get(record.status) ?? 0) + 1);
    if (record.problemId === null) return;
    let p = this.problems.get(record.problemId);
    if (!p) {
      // After a spill, a problem seen again starts a new piece, which does not know what came before it.
      this.problems.set(record.problemId, (p = new ProblemState(this.keep, this.runs.length === 0)));
      this.bytes += p.bytes + ENTRY_BYTES + record.problemId.length;
    }
    const before = p.bytes;
    p.rows++;
    if (p.gold === null && record.gold != null) p.gold = record.gold;
    if (record.status === "invalid_input") p.invalid++;
    else if (record.status === "no_reference") p.noReference++;
    else p.add(settingOf(record.mode, record.tool), record.sample, record.status === "correct", record.answer, record.reward ?? null);
    this.bytes += p.bytes - before;
    if (this.spill && this.bytes > this.budget) this.spillState();
  }

  /** Problems held in memory now (all of them unless the board has spilled). */
  get problemCount(): number {
    return this.problems.size;
  }

  /** Whether part of the state is on disk (then only `scores()` reads it). */
  get spilled(): boolean {
    return this.runs.length > 0;
  }

  /** Per-problem scores, sorted by problem id (code-unit order), of a board that has not spilled. */
  scoreProblems(): ProblemScore[] {
    if (this.spilled) throw new Error("the score board has spilled to disk: read it with scores()");
    return [...this.problems.keys()].sort().map((id) => this.scoreOf(id, this.problems.get(id)!));
  }

  /**
   * Per-problem scores in problem-id order (code-unit order), one at a time. This ends the board: its
   * state is released as it is scored, and its spill files are removed when the iteration ends or stops.
   */
  async *scores(): AsyncGenerator<ProblemScore> {
    try {
      const problems = this.problems;
      const inMemory = (function* () {
        for (const id of [...problems.keys()].sort()) {
          const state = problems.get(id)!;
          problems.delete(id);
          yield [id, state] as [string, ProblemState];
        }
      })();
      if (!this.spilled) {
        for (const [id, state] of inMemory) yield this.scoreOf(id, state);
        return;
      }
      await this.narrowRuns();
      const sources = [...this.runs.map((run) => readRun(run, this.keep)), inMemory];
      for await (const [id, state] of mergePieces(sources, true)) yield this.scoreOf(id, state);
    } finally {
      this.dispose();
    }
  }

  /** Drops the state and removes the spill files (for a board whose scores() is not read to its end). */
  dispose(): void {
    this.problems = new Map();
    this.bytes = 0;
    this.spill?.remove();
    this.runs = [];
  }

  /**
   * Writes everything held in memory to disk (a board with a spill folder only), so that several boards
   * filled one after the other hold no memory while they wait to be read.
   */
  release(): void {
    if (this.spill && this.problems.size > 0) this.spillState();
  }

  /** Writes the state held in memory to a sorted run, and starts afresh. */
  private spillState(): void {
    const problems = this.problems;
    const ids = [...problems.keys()].sort();
    this.runs.push(this.spill!.writeRun(ids.map((id) => [id, problems.get(id)!])));
    this.problems = new Map();
    this.bytes = 0;
  }

  /** Merges runs in groups (in input order) until few enough remain to be merged at once. */
  private async narrowRuns(): Promise<void> {
    while (this.runs.length > MAX_FAN_IN) {
      const narrowed: string[] = [];
      for (let i = 0; i < this.runs.length; i += MAX_FAN_IN) {
        const group = this.runs.slice(i, i + MAX_FAN_IN);
        if (group.length > 1) {
          narrowed.push(await this.spill!.writeMergedRun(mergePieces(group.map((run) => readRun(run, this.keep)), i === 0)));
          for (const run of group) rmSync(run, { force: true });
        } else narrowed.push(group[0]);
      }
      this.runs = narrowed;
    }
  }

  private scoreOf(id: string, p: ProblemState): ProblemScore {
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
