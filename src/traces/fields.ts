// Row fields shared by every format: problem id, reference answer, mode, sample index, tokens.

import { createHash } from "node:crypto";
import type { ReasoningMode } from "../types.js";

export type Row = Record<string, unknown>;

export function isRecord(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ID_FIELDS = ["uuid", "problem_id", "id"] as const;
const PROBLEM_FIELDS = ["problem", "question"] as const;
const GOLD_FIELDS = ["gold", "expected_answer", "answer"] as const;
const MODES: readonly ReasoningMode[] = ["high", "medium", "low"];

/** sha1 of the problem text (UTF-8, exactly as written), first 16 hex digits. */
export function hashProblem(problem: string): string {
  return createHash("sha1").update(problem, "utf8").digest("hex").slice(0, 16);
}

function idValue(value: unknown): string | null {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/** The row's own problem text (`problem`, else `question`), or null. */
export function problemTextOf(row: Row): string | null {
  for (const field of PROBLEM_FIELDS) if (typeof row[field] === "string") return row[field] as string;
  return null;
}

/** `uuid`, `problem_id`, `id` (strings or numbers), in that order; null when none is present. */
export function explicitProblemId(row: Row): string | null {
  for (const field of ID_FIELDS) {
    const id = idValue(row[field]);
    if (id !== null) return id;
  }
  return null;
}

export type GoldResult = { ok: true; gold: string | null } | { ok: false; reason: string };

/** The reference answer (`gold`, `expected_answer`, `answer`); null, "" or missing is no reference. */
export function goldOf(row: Row): GoldResult {
  for (const field of GOLD_FIELDS) {
    if (!(field in row)) continue;
    const value = row[field];
    if (value === null || value === undefined) continue;
    if (typeof value === "string") {
      if (value.trim() === "") continue;
      return { ok: true, gold: value };
    }
    if (typeof value === "number" || typeof value === "bigint") return { ok: true, gold: String(value) };
    if (typeof value === "boolean") return { ok: true, gold: String(value) };
    return { ok: false, reason: `reference answer \`${field}\` is ${Array.isArray(value) ? "an array" : "an object"}, expected a string or a number` };
  }
  return { ok: true, gold: null };
}

export function parseMode(value: unknown): ReasoningMode | null {
  if (typeof value !== "string") return null;
  const lower = value.trim().toLowerCase();
  return (MODES as readonly string[]).includes(lower) ? (lower as ReasoningMode) : null;
}

/** Mode stated by the row: `mode`, `reasoning_effort`, `reasoning_mode` (also under `metadata`). */
export function modeOfRow(row: Row): ReasoningMode | null {
  for (const source of [row, isRecord(row.metadata) ? row.metadata : null]) {
    if (source === null) continue;
    for (const field of ["mode", "reasoning_effort", "reasoning_mode"]) {
      const mode = parseMode(source[field]);
      if (mode !== null) return mode;
    }
  }
  return null;
}

/** Path segments, innermost first, and the words (letter runs) of each. */
function wordsBySegment(name: string): string[][] {
  return name
    .split(/[\\/]/)
    .filter((segment) => segment !== "")
    .reverse()
    .map((segment) => segment.toLowerCase().split(/[^a-z]+/).filter((word) => word !== ""));
}

/**
 * The reasoning mode a file name states: `high.part_00.jsonl`, `medium.jsonl`, `low.jsonl`,
 * `data/high/part-1.jsonl`. The innermost path segment that names exactly one mode decides.
 */
export function modeFromFileName(name: string): ReasoningMode | null {
  for (const words of wordsBySegment(name)) {
    const named = new Set(words.filter((word) => (MODES as readonly string[]).includes(word)));
    if (named.size === 1) return [...named][0] as ReasoningMode;
    if (named.size > 1) return null;
  }
  return null;
}

/** Tool use a file name states: `..._with_tool...` / `..._no_tool...` (innermost segment first). */
export function toolFromFileName(name: string): boolean | null {
  for (const segment of name.split(/[\\/]/).reverse()) {
    const lower = segment.toLowerCase();
    const withTool = /(?:^|[^a-z])with[-_]?tools?(?:[^a-z]|$)/.test(lower);
    const noTool = /(?:^|[^a-z])(?:no|without)[-_]?tools?(?:[^a-z]|$)/.test(lower);
    if (withTool !== noTool) return withTool;
  }
  return null;
}

/** The sample index of a NeMo-Skills output file: `output-rs3.jsonl` → 3 (also `.jsonl.gz`). */
export function sampleFromFileName(name: string): number | null {
  const base = name.split(/[\\/]/).pop() ?? "";
  const match = /^output-rs(\d+)\.jsonl(?:\.gz)?$/.exec(base);
  return match === null ? null : Number(match[1]);
}

function nonNegativeInteger(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null;
}

/** Sample index stated by the row: `sample`, `sample_index`, `sample_idx`. */
export function sampleOfRow(row: Row): number | null {
  for (const field of ["sample", "sample_index", "sample_idx"]) {
    const sample = nonNegativeInteger(row[field]);
    if (sample !== null) return sample;
  }
  return null;
}

/**
 * Generated-token count: `num_generated_tokens`, `num_tokens`, `tokens`, `token_count`, the same
 * under `metadata`, or `usage.completion_tokens` / `usage.output_tokens`.
 */
export function tokensOfRow(row: Row): number | null {
  const fields = ["num_generated_tokens", "num_tokens", "tokens", "token_count"];
  for (const source of [row, isRecord(row.metadata) ? row.metadata : null]) {
    if (source === null) continue;
    for (const field of fields) {
      const count = nonNegativeInteger(source[field]);
      if (count !== null) return count;
    }
  }
  if (isRecord(row.usage)) {
    return nonNegativeInteger(row.usage.completion_tokens) ?? nonNegativeInteger(row.usage.output_tokens);
  }
  return null;
}
