// The grading contracts: one verdict row per input line, and the options that shape a run.
import type { ExtractionRule, GradeStatus, ReasoningMode, TraceFormat, VerdictMethod } from "../types.js";
import type { VoteCompat } from "../score/index.js";
import type { PackedVerdicts } from "./packed.js";

/** One output line of `veritrace grade`: what became of one input line. Keys are written in this order. */
export interface VerdictRow {
  file: string;
  /** 1-based line number in `file`. */
  line: number;
  /** Null only when the line names no problem (malformed JSON, a row without any id or problem text). */
  problem_id: string | null;
  sample: number | null;
  mode: ReasoningMode | null;
  tool: boolean | null;
  format: TraceFormat | null;
  status: GradeStatus;
  /** How the engine decided (null when nothing was compared). */
  method: VerdictMethod | null;
  /** The extracted final answer, as written. */
  answer: string | null;
  /** The extraction rule that fired (null for invalid input). */
  extraction: ExtractionRule | null;
  /** The reference answer used (from --gold, else from the row). */
  gold: string | null;
  /** Why a row is invalid_input. */
  reason?: string;
  /** NeMo-Skills rows' reward_model_score, kept under --compat nemo-skills for its rm_* metrics. */
  reward_model_score?: number;
}

/** Options that reach the worker threads (structured-cloned once per worker). */
export interface WorkerOptions {
  /** Force a trace format instead of detecting it per row. */
  format?: TraceFormat;
  /** Reasoning mode for rows whose row and file name do not say. */
  mode?: ReasoningMode;
  /** Loose answer-extraction fallbacks (default true; off under compat). */
  loose: boolean;
  compat?: VoteCompat;
  /** Reference answers by problem id (--gold), as [id, answer] pairs. */
  gold?: Array<[string, string]>;
  /** Keep only the problems of this shard. */
  shard?: { index: number; count: number };
  verifyOptions?: Record<string, unknown>;
  /** Lines longer than this are invalid input (reported, never buffered). */
  maxLineBytes: number;
  /** Cut `reasoning_content` values out of raw rows before parsing (skim.ts; same verdicts, faster). */
  skim: boolean;
  /** Return each batch packed (JSONL text and score records: packed.ts) instead of row objects. */
  packed?: boolean;
}

/** A batch on its way to a worker: whole lines of one file, as raw bytes. */
export interface WireBatch {
  file: string;
  firstLine: number;
  bytes: Uint8Array;
  ends: Uint32Array;
  oversized: number[];
}

/** A worker's answer: one entry per line, null for lines of other shards. */
export interface BatchResult {
  /** One entry per line, null for lines of other shards (unless the options ask for `packed`). */
  rows?: Array<VerdictRow | null>;
  packed?: PackedVerdicts;
}
