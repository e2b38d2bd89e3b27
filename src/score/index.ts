// Scores (DESIGN.md "Scores"): unbiased pass@k, maj@k with votes grouped by the engine's equivalence,
// per problem and per setting (mode × tool) and overall; NeMo-Skills' arithmetic under compat.
import { ScoreBoard, type ProblemScore, type ScoreOptions, type ScoreRecord } from "./board.js";
import { summarize, totalsFrom, type Summary } from "./summary.js";

export { passAtK, passAtKNemoSkills, binomial, bigRatio } from "./pass-at-k.js";
export { majorityVote, tally, voteClasses, compareCodePoints } from "./majority.js";
export type { MajorityResult, MajorityClass, MajorityOptions, VoteCompat } from "./majority.js";
export { nemoSkillsMetrics, nemoSkillsContribution, nemoSkillsAggregate, nemoSkillsMajorityCredit } from "./nemo-skills.js";
export type { NemoSkillsSample, NemoSkillsMetric, NemoSkillsContribution } from "./nemo-skills.js";
export { ScoreBoard, SETTINGS, ALL, DEFAULT_K, DEFAULT_SCORE_MEMORY, SAMPLE_INDEX_LIMIT, settingOf, isGraded, compareSettings, normalizeK } from "./board.js";
export type { ScoreRecord, ScoreOptions, ProblemScore, GroupScore, MajorityAtK, BoardMemory } from "./board.js";
export { summarize, mergeSummaries, totalsFrom, emptyTotals, STATUSES, SUMMARY_FORMAT } from "./summary.js";
export type { Summary, SettingSummary, Totals } from "./summary.js";
export { SummaryBuilder, addTotals, scoreOptionsOf } from "./summary.js";
export type { SummaryHead } from "./summary.js";
export { NemoSkillsAccumulator } from "./nemo-skills.js";
export { writeSummary, writeSummaryFile, readSummary, mergeSummaryStreams, problemText } from "./summary-stream.js";
export type { TextOut, WriteSummaryOptions, SummaryReader, SummaryPart, MergedSummaryStream } from "./summary-stream.js";

/** Per-problem scores of graded records (see ScoreBoard for the sample order). */
export function scoreProblems(records: Iterable<ScoreRecord>, options: ScoreOptions = {}): ProblemScore[] {
  const board = new ScoreBoard(options);
  for (const r of records) board.add(r);
  return board.scoreProblems();
}

/** Scores graded records: per problem, per setting and overall. */
export function score(records: Iterable<ScoreRecord>, options: ScoreOptions = {}): Summary {
  const board = new ScoreBoard(options);
  for (const r of records) board.add(r);
  return summarize(board.scoreProblems(), totalsFrom(board.statusCounts), options);
}
