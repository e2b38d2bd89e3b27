// Request bodies of the HTTP face, validated with zod. Field names of /execute are NeMo-Skills' sandbox
// request (nemo_skills/code_execution/sandbox.py, LocalSandbox._prepare_request); /verify and /grade are ours.
import { z } from "zod";

/** NeMo-Skills capitalizes the verbosity before sending ("plain" -> "Plain"); accept either spelling. */
const TRACEBACK_VERBOSITY = ["Plain", "Context", "Verbose", "Minimal"] as const;

/** Languages that run Python: `ipython` is stateful (sessions), `python` / `python3` run a fresh interpreter state. */
export const EXECUTE_LANGUAGES = ["ipython", "python", "python3"] as const;

export const executeRequestSchema = z.object({
  generated_code: z.string({ error: "generated_code must be a string" }),
  /** Seconds, as NeMo-Skills sends it (float or int). */
  timeout: z.number({ error: "timeout must be a number of seconds" }).positive("timeout must be > 0").finite().optional(),
  language: z
    .enum(EXECUTE_LANGUAGES, { error: `language must be one of ${EXECUTE_LANGUAGES.join(", ")}` })
    .default("ipython"),
  max_output_characters: z
    .number({ error: "max_output_characters must be an integer" })
    .int("max_output_characters must be an integer")
    .nonnegative("max_output_characters must be >= 0")
    .optional(),
  traceback_verbosity: z
    .string()
    .transform((s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase())
    .pipe(z.enum(TRACEBACK_VERBOSITY, { error: `traceback_verbosity must be one of ${TRACEBACK_VERBOSITY.join(", ")}` }))
    .default("Plain"),
  /** The sandbox has no standard input: an empty string (what NeMo-Skills sends by default) is accepted, anything else refused. */
  std_input: z.literal("", { error: "std_input is not supported by this sandbox (it has no standard input)" }).optional(),
  /** Older NeMo-Skills clients put the session in the body; the X-Session-ID header wins when both are present. */
  session_id: z.string().nullable().optional(),
});
export type ExecuteRequest = z.infer<typeof executeRequestSchema>;

/** A session id travels in a header and a URL: keep it printable and short. */
export const sessionIdSchema = z
  .string()
  .min(1, "session id must not be empty")
  .max(256, "session id must be at most 256 characters")
  .regex(/^[\x21-\x7e]+$/, "session id must be printable ASCII without spaces");

export const MAX_FALLBACK_BUDGET_MS = 2000;

/**
 * Answers are strings: a JSON number would already have lost digits (10^18+1) before we see it,
 * so numbers are refused with a message that says why.
 */
const answer = (side: "gold" | "pred") =>
  z.string({
    error: (issue) =>
      typeof issue.input === "number"
        ? `${side} must be a string (a JSON number may already have lost digits; quote it)`
        : `${side} must be a string`,
  });

/** verify()'s options (src/verify/options.ts), checked here so that a bad one is a 400 naming it. */
const verifyOptions = z
  .strictObject(
    {
      floatRounding: z.number().int().min(0).max(100, "floatRounding must be at most 100").optional(),
      strict: z.boolean().optional(),
      allowSetRelationComp: z.boolean().optional(),
      extraction: z.enum(["loose", "strict", "off"], { error: 'extraction must be "loose", "strict" or "off"' }).optional(),
      fallback: z.boolean().optional(),
      /** Bounded: the fallback's budget is spent per undecided pair. */
      fallbackBudgetMs: z.number().positive().max(MAX_FALLBACK_BUDGET_MS, `fallbackBudgetMs must be at most ${MAX_FALLBACK_BUDGET_MS}`).optional(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys" ? `unknown option(s): ${issue.keys.join(", ")}` : "options must be an object",
    },
  )
  .optional();

export const MAX_VERIFY_PAIRS = 100_000;
export const MAX_GRADE_ROWS = 100_000;

export const verifyPairSchema = z.object({ gold: answer("gold"), pred: answer("pred"), options: verifyOptions });
export const verifyBatchSchema = z.object({
  pairs: z
    .array(z.object({ gold: answer("gold"), pred: answer("pred") }), { error: "pairs must be an array of {gold, pred}" })
    .min(1, "pairs must not be empty")
    .max(MAX_VERIFY_PAIRS, `at most ${MAX_VERIFY_PAIRS} pairs per request`),
  options: verifyOptions,
});

const TRACE_FORMATS = ["nemotron", "nemo-skills", "harmony", "openmath", "generic"] as const;
const REASONING_MODES = ["high", "medium", "low", "unknown"] as const;

/**
 * The grade() options a client may set. Threads, shards and batch sizes are the server's business, not a
 * request's: they are refused by name (strict object).
 */
export const gradeOptionsSchema = z.strictObject(
  {
    /** Name reported in the rows' `file`; a name like high.jsonl also gives the reasoning mode. */
    file: z.string().optional(),
    format: z.enum(TRACE_FORMATS, { error: `format must be one of ${TRACE_FORMATS.join(", ")}` }).optional(),
    mode: z.enum(REASONING_MODES, { error: `mode must be one of ${REASONING_MODES.join(", ")}` }).optional(),
    compat: z.literal("nemo-skills", { error: 'compat must be "nemo-skills"' }).optional(),
    loose: z.boolean().optional(),
    /** Reference answers by problem id; they take precedence over the rows' own. */
    gold: z.record(z.string(), z.string(), { error: "gold must map problem ids to answer strings" }).optional(),
    verifyOptions: verifyOptions,
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown option(s): ${issue.keys.join(", ")}` : "options must be an object",
  },
);

export const gradeRequestSchema = z.object({
  rows: z
    .array(
      z.union(
        [
          // One row per line: a string row must be a single JSON line.
          z.string().refine((row) => !row.includes("\n"), "a string row must be one JSON line (no newline)"),
          z.record(z.string(), z.unknown()),
        ],
        { error: "a row must be a JSON object or a JSON-encoded line (string)" },
      ),
      { error: "rows must be an array of trace rows (JSON objects or JSON-encoded lines)" },
    )
    .min(1, "rows must not be empty")
    .max(MAX_GRADE_ROWS, `at most ${MAX_GRADE_ROWS} rows per request`),
  options: gradeOptionsSchema.optional(),
});

export interface ValidationFailure {
  error: string;
  issues: Array<{ path: string; message: string }>;
}

/** Parses a body; on failure returns a 400 payload naming each bad field. */
export function validate<T extends z.ZodType>(
  schema: T,
  body: unknown,
): { ok: true; value: z.output<T> } | { ok: false; failure: ValidationFailure } {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return {
      ok: false,
      failure: { error: "invalid request: the body must be a JSON object", issues: [{ path: "", message: "expected a JSON object" }] },
    };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  return { ok: false, failure: { error: `invalid request: ${summary}`, issues } };
}
