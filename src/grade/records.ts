// The bridge between verdict rows and scores. Live runs, resumed runs and `veritrace merge` all score
// through this one function, so a row read back from disk counts exactly as it did when produced.
import { ScoreBoard, summarize, totalsFrom, type ScoreOptions, type ScoreRecord, type Summary } from "../score/index.js";
import type { VerdictRow } from "./types.js";

export function recordOf(row: VerdictRow): Omit<ScoreRecord, "problemId"> & { problemId: string | null } {
  return {
    problemId: row.problem_id,
    mode: row.mode ?? "unknown",
    tool: row.tool ?? false,
    sample: row.sample,
    status: row.status,
    answer: row.answer,
    gold: row.gold,
    reward: row.reward_model_score ?? null,
  };
}

/** Checks the shape of a row read back from a verdict file. */
export function isVerdictRow(row: unknown): row is VerdictRow {
  if (row === null || typeof row !== "object") return false;
  const r = row as Record<string, unknown>;
  return typeof r.file === "string" && typeof r.line === "number" && typeof r.status === "string" && "problem_id" in r;
}

/** The summary of verdict rows (for instance the output of `grade`). */
export function summarizeVerdicts(rows: Iterable<VerdictRow>, options: ScoreOptions = {}): Summary {
  const board = new ScoreBoard(options);
  for (const row of rows) board.add(recordOf(row));
  return summarize(board.scoreProblems(), totalsFrom(board.statusCounts), options);
}
