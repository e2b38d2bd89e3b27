// Types shared across layers. Each layer owns its own richer types; these are the contracts
// between them (see DESIGN.md "Layout and the direction of dependencies").

/** How a final answer was found in a response (src/extract). */
export type ExtractionRule =
  | "bare" // the input was already a bare answer, not a response
  | "boxed" // last \boxed{..} / \fbox{..} of the final part
  | "answer_phrase" // delimited math after "final answer" / "the answer is" / "answer:"
  | "last_math" // loose fallback: last math span of the final part
  | "last_number" // loose fallback: last number/expression of the final sentence
  | "none"; // nothing found

export interface Extraction {
  /** The answer text as written (inside the box, delimiters removed), or null when none was found. */
  answer: string | null;
  rule: ExtractionRule;
}

export type VerdictStatus = "correct" | "incorrect" | "no_answer" | "unparsable" | "too_complex";
/** Grading rows add two statuses that concern the input row rather than the comparison. */
export type GradeStatus = VerdictStatus | "no_reference" | "invalid_input";
export type VerdictMethod = "string" | "exact" | "numeric" | "symbolic" | "fallback";

export interface Verdict {
  status: VerdictStatus;
  method: VerdictMethod;
  /** Canonical forms as the engine understood them (null when that side had no parsable answer). */
  gold: string | null;
  pred: string | null;
  /** Which extraction rule produced each side's answer. */
  extraction: { gold: ExtractionRule; pred: ExtractionRule };
}

export type ReasoningMode = "high" | "medium" | "low" | "unknown";
export type TraceFormat = "nemotron" | "nemo-skills" | "harmony" | "openmath" | "generic";

export interface ToolCall {
  code: string;
  /** The tool output recorded in the trace (null when the trace has no reply for this call). */
  output: string | null;
}

/** One solution attempt, whatever format it came from (src/traces). */
export interface Trace {
  format: TraceFormat;
  problemId: string;
  problem: string | null;
  /** Reference answer; null when missing or empty ("no reference", not invalid input). */
  gold: string | null;
  mode: ReasoningMode;
  /** Whether this attempt used tools (from the trace itself, else from the row's `tools`). */
  tool: boolean;
  /** Sample index within (problem, setting); null when the format does not say. */
  sample: number | null;
  /** The part of the trace that holds the answer (final channel / after </think> / last assistant content). */
  finalText: string;
  reasoningText: string;
  toolCalls: ToolCall[];
  /** Token count if the row records one. */
  tokens: number | null;
  /** The answer the row's own grader extracted (NeMo-Skills `predicted_answer`), when the row has one. */
  predictedAnswer?: string | null;
}

/** One input row parsed (src/traces parseTrace): a Trace, or why the row is not one. */
export type ParsedRow = { ok: true; trace: Trace } | { ok: false; reason: string; problemId?: string };
