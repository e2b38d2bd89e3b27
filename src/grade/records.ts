// The bridge between verdict rows and scores. Live runs, resumed runs and `veritrace merge` all score
// through this one function, so a row read back from disk counts exactly as it did when produced.
import { ScoreBoard, summarize, totalsFrom, type ScoreOptions, type ScoreRecord, type Summary } from "../score/index.js";
import type { VerdictRow } from "./types.js";

export function recordOf(row: VerdictRow): Omit<ScoreRecord, "problemId"> & { problemId: string | null } {
  // Rows read back from disk may come from older or hand-edited files: missing fields count as absent.
  return {
    problemId: typeof row.problem_id === "string" ? row.problem_id : null,
    mode: row.mode ?? "unknown",
    tool: row.tool === true,
    sample: typeof row.sample === "number" ? row.sample : null,
    status: row.status,
    answer: typeof row.answer === "string" ? row.answer : null,
    gold: typeof row.gold === "string" ? row.gold : null,
    reward: typeof row.reward_model_score === "number" ? row.reward_model_score : null,
  };
}

const STATUSES = new Set(["correct", "incorrect", "no_answer", "unparsable", "too_complex", "no_reference", "invalid_input"]);

/** Checks the shape of a row read back from a verdict file. */
export function isVerdictRow(row: unknown): row is VerdictRow {
  if (row === null || typeof row !== "object") return false;
  const r = row as Record<string, unknown>;
  return (
    typeof r.file === "string" &&
    typeof r.line === "number" &&
    STATUSES.has(r.status as string) &&
    (r.problem_id === null || typeof r.problem_id === "string")
  );
}

/** The summary of verdict rows (for instance the output of `grade`). */
export function summarizeVerdicts(rows: Iterable<VerdictRow>, options: ScoreOptions = {}): Summary {
  const board = new ScoreBoard(options);
  for (const row of rows) board.add(recordOf(row));
  return summarize(board.scoreProblems(), totalsFrom(board.statusCounts), options);
}
