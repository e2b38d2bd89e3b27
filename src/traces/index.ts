// Rows of every trace format → Trace (DESIGN.md "Trace formats"; docs/formats.md says what each
// Trace field comes from). Detection is per row and can be overridden by the caller.
// Parsing slices the row's strings (V8 slices and concatenations share memory) and finds markup
// with indexOf; no regex runs over a whole response.

import type { ParsedRow, ReasoningMode, Trace, TraceFormat } from "../types.js";
import {
  explicitProblemId,
  goldOf,
  hashProblem,
  isRecord,
  modeFromFileName,
  modeOfRow,
  problemTextOf,
  sampleFromFileName,
  sampleOfRow,
  tokensOfRow,
  toolFromFileName,
  type Row,
} from "./fields.js";
import { parseHarmony } from "./harmony.js";
import { parseMessages } from "./messages.js";
import { parseOpenMathTir } from "./openmath.js";
import { appendReasoning, type ParsedText } from "./parsed-text.js";
import { isHarmonyText, parseResponseText } from "./response-text.js";

export { parseHarmony } from "./harmony.js";
export { parseOpenMathTir, openMathToolCalls } from "./openmath.js";
export { parseResponseText, isHarmonyText } from "./response-text.js";
export type { ParsedText } from "./parsed-text.js";
export {
  hashProblem,
  modeFromFileName,
  sampleFromFileName,
  toolFromFileName,
} from "./fields.js";
export { renderToolOutput, normalizeToolOutput, recordedToolCalls, OUTPUT_CUT, type ExecutionOutput } from "./tool-output.js";

export type { ParsedRow } from "../types.js";

export interface ParseContext {
  /** The file the row came from: mode (`high.part_00.jsonl`) and sample (`output-rs3.jsonl`) may come from it. */
  fileName?: string;
  /** Parse as this format instead of detecting it. */
  format?: TraceFormat;
  /** Mode to use when neither the row nor the file name states one (a CLI flag). */
  mode?: ReasoningMode;
  /** 1-based line number of the row. Accepted for callers' convenience; reasons do not repeat it (the rows that report them carry file and line). */
  lineNumber?: number;
}

export const TRACE_FORMATS: readonly TraceFormat[] = ["nemotron", "nemo-skills", "harmony", "openmath", "generic"];

/**
 * The format of a row, or null when it fits none:
 * - `generated_solution` → openmath;
 * - `generation` → nemo-skills, or generic when the row has `gold`;
 * - `messages` → nemotron, or generic when the row has `gold` / `response` or none of `uuid`,
 *   `expected_answer`, `metadata`;
 * - a string, or a `text` field, holding harmony tokens → harmony;
 * - `response` → generic.
 */
export function detectFormat(row: unknown): TraceFormat | null {
  if (typeof row === "string") return isHarmonyText(row) ? "harmony" : null;
  if (!isRecord(row)) return null;
  if ("generated_solution" in row) return "openmath";
  // Before `messages`: NeMo-Skills keeps its input fields, which may include a chat prompt.
  if ("generation" in row) return "gold" in row ? "generic" : "nemo-skills";
  if ("messages" in row) {
    const generic = "gold" in row || "response" in row || !("uuid" in row || "expected_answer" in row || "metadata" in row);
    return generic ? "generic" : "nemotron";
  }
  if (typeof row.text === "string" && isHarmonyText(row.text)) return "harmony";
  if ("response" in row) return "generic";
  return null;
}

type Response = { ok: true; parsed: ParsedText; problem: string | null } | { ok: false; reason: string };

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function textField(row: Row, field: string, parse: (text: string) => ParsedText): Response {
  if (!(field in row)) return { ok: false, reason: `row has no \`${field}\`` };
  const value = row[field];
  if (typeof value !== "string") return { ok: false, reason: `\`${field}\` is ${describe(value)}, expected a string` };
  const parsed = parse(value);
  // A row that split the reasoning out of its text (NeMo-Skills with parse_reasoning, vLLM
  // reasoning parsers) keeps it in a top-level `reasoning_content`.
  if (typeof row.reasoning_content === "string") {
    parsed.reasoningText = appendReasoning(row.reasoning_content, parsed.reasoningText);
  }
  return { ok: true, parsed, problem: parsed.problem ?? null };
}

function messagesField(row: Row): Response {
  if (!("messages" in row)) return { ok: false, reason: "row has no `messages`" };
  if (!Array.isArray(row.messages)) return { ok: false, reason: `\`messages\` is ${describe(row.messages)}, expected an array` };
  return parseMessages(row.messages);
}

const GENERIC_RESPONSE_FIELDS = ["response", "generation", "messages"] as const;
const HARMONY_TEXT_FIELDS = ["text", "generation", "response"] as const;

/** The response of a row in the given format, parsed. */
function responseOf(row: Row, format: TraceFormat): Response {
  switch (format) {
    case "nemotron":
      return messagesField(row);
    case "nemo-skills":
      return textField(row, "generation", parseResponseText);
    case "openmath":
      return textField(row, "generated_solution", parseOpenMathTir);
    case "harmony": {
      // Harmony text under `text` (rendered conversations), or a generation / response forced to harmony.
      const field = HARMONY_TEXT_FIELDS.find((name) => name in row) ?? "text";
      return textField(row, field, parseHarmony);
    }
    case "generic": {
      const field = GENERIC_RESPONSE_FIELDS.find((name) => name in row);
      if (field === undefined) return { ok: false, reason: "row has no response (`response`, `generation` or `messages`)" };
      return field === "messages" ? messagesField(row) : textField(row, field, parseResponseText);
    }
  }
}

function toolUse(row: Row, parsed: ParsedText, format: TraceFormat, fileName: string | undefined): boolean {
  if (parsed.toolCalls.length > 0) return true;
  if (typeof row.tool === "boolean") return row.tool;
  if (Array.isArray(row.tools)) return row.tools.length > 0;
  if (parsed.toolsAvailable !== undefined) return parsed.toolsAvailable;
  if (format === "openmath" && typeof row.inference_mode === "string") return row.inference_mode === "tir";
  return (fileName !== undefined ? toolFromFileName(fileName) : null) ?? false;
}

/** A row that is not a trace. The reason does not repeat file and line: callers' rows carry them. */
function fail(reason: string, problemId: string | null): ParsedRow {
  return problemId === null || problemId === "" ? { ok: false, reason } : { ok: false, reason, problemId };
}

/**
 * The problem id of a row, as parseTrace gives it: `uuid`, `problem_id`, `id`, else the hash of the
 * problem text (`problem`, `question`, else the user message of the response: messages or harmony);
 * "" when the row has none of these. Cheap for rows with an id or a problem field; other rows are
 * parsed.
 */
export function problemIdOf(row: unknown): string {
  if (isRecord(row)) {
    const explicit = explicitProblemId(row);
    if (explicit !== null) return explicit;
    const problem = problemTextOf(row);
    if (problem !== null) return hashProblem(problem);
  }
  const parsed = parseTrace(row);
  return parsed.ok ? parsed.trace.problemId : "";
}

export function parseTrace(row: unknown, context: ParseContext = {}): ParsedRow {
  // A bare string is raw harmony text (a JSONL line holding one JSON string).
  const record: Row | null = typeof row === "string" ? { text: row } : isRecord(row) ? row : null;
  if (record === null) return fail(`row is ${describe(row)}, expected a JSON object`, null);
  const explicitId = explicitProblemId(record);
  // For rows that fail: the id when the row states one or has a problem field (sharding by
  // problem keeps such rows with their problem).
  const knownId = (): string | null => {
    const problem = problemTextOf(record);
    return explicitId ?? (problem !== null ? hashProblem(problem) : null);
  };

  const format = context.format ?? detectFormat(row);
  if (format === null) {
    return fail(
      "row fits no trace format: expected `messages`, `generation`, `generated_solution`, `response`, or harmony text",
      knownId(),
    );
  }
  const response = responseOf(record, format);
  if (!response.ok) {
    const prefix = context.format !== undefined ? `row does not fit format ${format}: ` : "";
    return fail(prefix + response.reason, knownId());
  }
  const { parsed } = response;

  const problem = problemTextOf(record) ?? response.problem;
  const problemId = explicitId ?? (problem !== null ? hashProblem(problem) : null);
  if (problemId === null) {
    return fail("row has no problem id (`uuid`, `problem_id`, `id`) and no problem text to hash", null);
  }
  const gold = goldOf(record);
  if (!gold.ok) return fail(gold.reason, problemId);

  const fileName = context.fileName;
  const mode =
    modeOfRow(record) ?? parsed.mode ?? (fileName !== undefined ? modeFromFileName(fileName) : null) ?? context.mode ?? "unknown";
  const predicted = record.predicted_answer;
  const trace: Trace = {
    format,
    problemId,
    problem,
    gold: gold.gold,
    mode,
    tool: toolUse(record, parsed, format, fileName),
    sample: sampleOfRow(record) ?? (fileName !== undefined ? sampleFromFileName(fileName) : null),
    finalText: parsed.finalText,
    reasoningText: parsed.reasoningText,
    toolCalls: parsed.toolCalls,
    tokens: tokensOfRow(record),
  };
  if (typeof predicted === "string" || predicted === null) trace.predictedAnswer = predicted;
  return { ok: true, trace };
}
